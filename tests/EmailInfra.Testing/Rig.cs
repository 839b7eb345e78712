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
    public static readonly IReadOnlyDictionary<string, string> Users = NumberedUsers().Concat(new Dictionary<string, string>
    {
        ["alice@alpha.test"] = "alice-pw",
        ["bob@alpha.test"] = "bob-pw",
        ["carol@beta.test"] = "carol-pw",
        ["dave@beta.test"] = "dave-pw",
        ["erin@gamma.test"] = "erin-pw",
        ["frank@gamma.test"] = "frank-pw",
        ["sink@gamma.test"] = "sink-pw",
    }).ToDictionary();

    /// <summary>m01..m24, spread over the domains as scripts/rig.sh creates them: m01@alpha, m02@beta, m03@gamma, …</summary>
    public static IReadOnlyList<string> Numbered { get; } = Enumerable.Range(1, 24)
        .Select(i => $"m{i:00}@{(i % 3) switch { 1 => "alpha", 2 => "beta", _ => "gamma" }}.test").ToList();

    /// <summary>w01..w12, the warm-up network's mailboxes, spread like the numbered ones; used only by warm-up tests.</summary>
    public static IReadOnlyList<string> WarmupNetwork { get; } = Enumerable.Range(1, 12)
        .Select(i => $"w{i:00}@{(i % 3) switch { 1 => "alpha", 2 => "beta", _ => "gamma" }}.test").ToList();

    /// <summary>h01..h06, spread like the numbered ones; used only by the health engine's end-to-end tests.</summary>
    public static IReadOnlyList<string> HealthMailboxes { get; } = Enumerable.Range(1, 6)
        .Select(i => $"h{i:00}@{(i % 3) switch { 1 => "alpha", 2 => "beta", _ => "gamma" }}.test").ToList();

    private static Dictionary<string, string> NumberedUsers() =>
        Enumerable.Range(1, 24).Select(i => ("m", i)).Concat(Enumerable.Range(1, 12).Select(i => ("w", i))).Concat(Enumerable.Range(1, 6).Select(i => ("h", i)))
            .ToDictionary(u => $"{u.Item1}{u.Item2:00}@{(u.Item2 % 3) switch { 1 => "alpha", 2 => "beta", _ => "gamma" }}.test", u => $"{u.Item1}{u.Item2:00}-pw");

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
            if (service == RigService.Browser)
            {
                if (BrowserProblem() is { } problem)
                {
                    Missing(problem);
                }

                continue;
            }

            var port = service switch
            {
                RigService.Azurite => TablePort(),
                RigService.Mail => SubmissionPort,
                RigService.Dns => DnsPort,
                _ => throw new ArgumentOutOfRangeException(nameof(services)),
            };
            if (!Answers(port))
            {
                Missing($"{service} is not running on {Host}:{port}; start the rig with 'scripts/rig.sh start' (scripts/test.sh does it for you)");
            }
        }
    }

    /// <summary>Debian's Chromium, driven by playwright-core from the dashboard check's folder (browser downloads do not work here).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The folder of the dashboard's browser check (tests/EmailInfra.Cli.Tests/Dashboard in the repository).</summary>
    public static string? DashboardCheckDir =>
        RigDir is { } dir && Directory.GetParent(Path.GetFullPath(dir)) is { } root ? Path.Combine(root.FullName, "tests", "EmailInfra.Cli.Tests", "Dashboard") : null;

    private static string? BrowserProblem()
    {
        if (!File.Exists(ChromiumPath))
        {
            return $"{ChromiumPath} is missing; 'scripts/rig.sh start' installs Debian's chromium";
        }

        return DashboardCheckDir is { } check && Directory.Exists(Path.Combine(check, "node_modules", "playwright-core"))
            ? null
            : "playwright-core is not installed in tests/EmailInfra.Cli.Tests/Dashboard; 'scripts/rig.sh start' runs npm ci there";
    }

    private static void Missing(string message)
    {
        if (InCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
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

    /// <summary>Headless Chromium and playwright-core, for the dashboard's browser test.</summary>
    Browser,
}

/// <summary>Changes the rig's Postfix at run time (root): recipient verdicts on the submission port.</summary>
public static class RigPostfix
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Makes submission answer RCPT for <paramref name="recipient"/> with <paramref name="reply"/> (null: accept again), then reloads Postfix.</summary>
    public static async Task SetSubmissionVerdictAsync(string recipient, string? reply)
    {
        var dir = Rig.RigDir ?? throw new InvalidOperationException("rig directory unknown");
        var map = Path.Combine(dir, "mail", "submission_rcpt");
        await Gate.WaitAsync();
        try
        {
            var lines = File.Exists(map) ? (await File.ReadAllLinesAsync(map)).Where(l => !l.StartsWith(recipient + " ", StringComparison.Ordinal)).ToList() : [];
            if (reply is not null)
            {
                lines.Add($"{recipient} {reply}");
            }

            await File.WriteAllLinesAsync(map, lines);
            using var reload = System.Diagnostics.Process.Start("postfix", ["-c", Path.Combine(dir, "mail", "postfix"), "reload"])!;
            await reload.WaitForExitAsync();
            Assert.Equal(0, reload.ExitCode);

            // the reload reaches new smtpd processes within a moment
            await Task.Delay(500);
        }
        finally
        {
            Gate.Release();
        }
    }
}
