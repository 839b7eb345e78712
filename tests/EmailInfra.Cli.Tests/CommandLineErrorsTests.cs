using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests;

/// <summary>Bad input and missing services: one line on standard error and exit code 2 (bad input) or 1 (failure), never a stack trace.</summary>
public class CommandLineErrorsTests
{
    private static readonly string LongAddress = new string('a', 109) + "@beta.test"; // 120 characters

    public static TheoryData<string, string[], string?, int, string> BadInput => new()
    {
        { "day-bad-date", ["day", "--mailbox", "dave@beta.test", "--date", "2024-13-01"], null, 2, "'2024-13-01' is not a date" },
        { "verify-missing", ["verify", "missing.csv"], null, 2, "missing.csv: no such file" },
        { "outbound-missing-text", ["outbound", "--pool", "rig", "--to", "erin@gamma.test", "--subject", "s", "--text-file", "missing"], null, 2, "missing: no such file" },
        { "mailbox-long-address", ["mailbox", "add", "--address", LongAddress, "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143"], "pw", 2, "address: must be a plain address" },
        { "plan-bad-setting", ["plan"], "Warmup__Ramp__Target=abc", 2, "'Warmup:Ramp:Target'" },
        { "storage-unreachable", ["mailbox", "list"], "EmailInfraStorage=unreachable", 1, "storage unreachable (Connection refused" },
        { "damaged-store-key", ["mailbox", "add", "--address", "kim@beta.test", "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143"], "damaged-key", 1, "store.key" },
    };

    [Theory(Timeout = 90_000)]
    [MemberData(nameof(BadInput))]
    public async Task Command_BadInputOrMissingService_PrintsOneLineAndExitsWithItsCode(string name, string[] args, string? setup, int code, string expected)
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var extra = new Dictionary<string, string?>();
        string? input = null;
        switch (setup)
        {
            case "pw":
                input = "pw";
                break;
            case "damaged-key":
                input = "pw";
                Directory.CreateDirectory(rig.SecretsDir);
                await File.WriteAllBytesAsync(Path.Combine(rig.SecretsDir, "store.key"), [1, 2, 3, 4, 5, 6, 7]);
                break;
            case "EmailInfraStorage=unreachable":
                // a port nothing listens on, and no Azurite to start: the storage of a machine where it is not running
                extra["EmailInfraStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10190/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10191/devstoreaccount1;TableEndpoint=http://127.0.0.1:10192/devstoreaccount1;";
                break;
            case { } setting:
                var eq = setting.IndexOf('=', StringComparison.Ordinal);
                extra[setting[..eq]] = setting[(eq + 1)..];
                break;
        }

        using var cli = EmailInfraProcess.Start(CliEnvironment.For(rig, extra), input, args);
        var exit = await cli.WaitForExitAsync(TimeSpan.FromSeconds(75));
        var lines = cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exit == code, $"{name}: exit {exit}, expected {code}; output:\n{cli.Output}");
        Assert.True(lines.Length == 1, $"{name}: expected one line; output:\n{cli.Output}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", cli.Output, StringComparison.Ordinal);
    }
}
