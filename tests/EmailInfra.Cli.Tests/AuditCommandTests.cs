using System.Text.Json;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests;

/// <summary>`emailinfra audit` as a process against Knot on loopback: the report, its JSON, and the exit code.</summary>
public class AuditCommandTests
{
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["Audit__IpBlocklists__0"] = "zen.test",
        ["Audit__DomainBlocklists__0"] = "zen.test",
        ["Local__StartAzurite"] = "false",
    };

    private static async Task<(int? Exit, string Output)> AuditAsync(params string[] args)
    {
        Rig.Require(RigService.Dns);
        using var process = EmailInfraProcess.Start(Environment, null, ["audit", .. args, "--dns", $"{Rig.Host}:{Rig.DnsPort}"]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }

    [Fact(Timeout = 120_000)]
    public async Task CleanDomain_PrintsEveryCheckAndExitsZero()
    {
        var (exit, output) = await AuditAsync("clean.audit.test", "--ip", "127.0.0.1", "--selector", "rig");
        Assert.True(exit == 0, output);
        Assert.Contains("PASS    SPF 127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("PASS    PTR 127.0.0.1", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task FailingCheck_ExitsOne_AndJsonCarriesTheFix()
    {
        var (exit, output) = await AuditAsync("wrongip.audit.test", "--ip", "127.0.0.1", "--selector", "rig", "--json");
        Assert.Equal(1, exit);
        var report = JsonDocument.Parse(output.Split('\n').First(l => l.StartsWith('{'))).RootElement;
        var spf = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("check").GetString() == "SPF 127.0.0.1");
        Assert.Equal("fail", spf.GetProperty("status").GetString());
        Assert.Contains("ip4:127.0.0.1", spf.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task BadInput_ExitsTwoWithAClearError()
    {
        var (exit, output) = await AuditAsync("clean.audit.test", "--ip", "not-an-ip");
        Assert.Equal(2, exit);
        Assert.Contains("--ip not-an-ip is not an IP address", output, StringComparison.Ordinal);
    }
}
