using System.Net.Sockets;
using Xunit;

namespace EmailInfra.Testing;

/// <summary>The loopback rig started by scripts/rig.sh: where its services listen and its mail users.</summary>
public static class Rig
{
    public const string Host = "127.0.0.1";
    public const int SubmissionPort = 2587;
    public const int SmtpsPort = 2465;
    public const int MxPort = 2525;
    public const int ImapPort = 2143;
    public const int ImapsPort = 2993;
    public const int DnsPort = 5353;

    /// <summary>Mail users of the rig (login = address).</summary>
    public static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string>
    {
        ["alice@alpha.test"] = "alice-pw",
        ["bob@alpha.test"] = "bob-pw",
        ["carol@beta.test"] = "carol-pw",
        ["dave@beta.test"] = "dave-pw",
        ["erin@gamma.test"] = "erin-pw",
        ["frank@gamma.test"] = "frank-pw",
        ["sink@gamma.test"] = "sink-pw",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Env = new(LoadEnv);

    /// <summary>The Azurite connection string the rig writes, or the default development endpoints.</summary>
    public static string StorageConnectionString => Env.Value.TryGetValue("EMAILINFRA_RIG_STORAGE", out var s) ? s
        : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>The rig's self-signed TLS certificate (PEM).</summary>
    public static string CertificatePath => Env.Value.TryGetValue("EMAILINFRA_RIG_CERT", out var c) ? c : Path.Combine(RigDir ?? ".rig", "mail", "tls", "cert.pem");

    public static string? RigDir => Env.Value.TryGetValue("EMAILINFRA_RIG_DIR", out var d) ? d : FindRigDir();

    /// <summary>True when running under CI, where a missing service is a failure, never a skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test (or fails it under CI) unless the named services answer.</summary>
    public static void Require(params RigService[] services)
    {
        foreach (var service in services)
        {
            var port = service switch
            {
                RigService.Azurite => TablePort(),
                RigService.Mail => SubmissionPort,
                RigService.Dns => DnsPort,
                _ => throw new ArgumentOutOfRangeException(nameof(services)),
            };
            if (!Answers(port))
            {
                var message = $"{service} is not running on {Host}:{port}; start the rig with 'scripts/rig.sh start' (scripts/test.sh does it for you)";
                if (InCi)
                {
                    Assert.Fail(message);
                }

                Assert.Skip(message);
            }
        }
    }

    private static int TablePort()
    {
        var marker = "TableEndpoint=http://127.0.0.1:";
        var s = StorageConnectionString;
        var i = s.IndexOf(marker, StringComparison.Ordinal);
        return i < 0 ? 10002 : int.Parse(s[(i + marker.Length)..].Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(Host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindRigDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("EMAILINFRA_RIG_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".rig");
            if (File.Exists(Path.Combine(candidate, "rig.env")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static Dictionary<string, string> LoadEnv()
    {
        var dir = FindRigDir();
        var file = dir is null ? null : Path.Combine(dir, "rig.env");
        var values = new Dictionary<string, string>();
        if (file is null || !File.Exists(file))
        {
            return values;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        return values;
    }
}

/// <summary>A service of the rig a test depends on.</summary>
public enum RigService
{
    Azurite,
    Mail,
    Dns,
}
