using System.Net;
using System.Net.Sockets;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Infrastructure.Dns;
using EmailInfra.Testing;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Tests.Dns;

/// <summary>The domain audit against Knot DNS on loopback serving the rig's audit.test zone (scripts/rig.sh).</summary>
public class DomainAuditTests
{
    private static readonly IPAddress Sending = IPAddress.Loopback;

    private static DomainAuditor Auditor(string server = "", TimeSpan? timeout = null)
    {
        var dns = new DnsOptions { Timeout = timeout ?? TimeSpan.FromSeconds(3) };
        dns.Servers.Add(server.Length > 0 ? server : $"{Rig.Host}:{Rig.DnsPort}");
        var audit = new AuditOptions();
        audit.IpBlocklists.Add("zen.test");
        audit.DomainBlocklists.Add("zen.test");
        return new DomainAuditor(new DnsClientRecords(Options.Create(dns)), audit, TimeProvider.System);
    }

    private static async Task<AuditReport> AuditAsync(string domain, IPAddress? ip = null, params string[] selectors)
    {
        Rig.Require(RigService.Dns);
        return await Auditor().AuditAsync(new AuditRequest(domain, [ip ?? Sending], selectors.Length > 0 ? selectors : ["rig"]), default);
    }

    private static AuditFinding Finding(AuditReport report, string check) => Assert.Single(report.Findings, f => f.Check == check);

    [Fact]
    public async Task CleanDomain_PassesEveryCheck()
    {
        var report = await AuditAsync("clean.audit.test");
        Assert.All(report.Findings, f => Assert.True(f.Status == AuditStatus.Pass, $"{f.Check}: {f.Status} {f.Summary}"));
        Assert.Contains("v=STSv1", Finding(report, "MTA-STS").Evidence[0], StringComparison.Ordinal);
        Assert.Contains("1 MX", Finding(report, "MX").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDmarc_FailsWithTheRecordToPublish()
    {
        var dmarc = Finding(await AuditAsync("nodmarc.audit.test"), "DMARC");
        Assert.Equal(AuditStatus.Fail, dmarc.Status);
        Assert.StartsWith("_dmarc.nodmarc.audit.test. TXT \"v=DMARC1; p=quarantine; rua=mailto:", dmarc.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubdomainWithoutDmarc_InheritsFromItsOrganisationalDomain_ByThePublicSuffixList()
    {
        // co.uk is a public suffix: mail.shop.co.uk's organisational domain is shop.co.uk (p=reject), not co.uk (p=none, a trap)
        var dmarc = Finding(await AuditAsync("mail.shop.co.uk"), "DMARC");
        Assert.Equal(AuditStatus.Pass, dmarc.Status);
        Assert.StartsWith("_dmarc.shop.co.uk: v=DMARC1; p=reject", dmarc.Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpfOverTheLookupLimit_IsPermerror()
    {
        var report = await AuditAsync("overlimit.audit.test");
        var spf = Finding(report, "SPF");
        Assert.Equal(AuditStatus.Fail, spf.Status);
        Assert.Contains("more than 10", spf.Summary, StringComparison.Ordinal);
        Assert.Equal(AuditStatus.Fail, Finding(report, "SPF 127.0.0.1").Status); // the limit is hit before ip4:127.0.0.1 is reached
    }

    [Fact]
    public async Task SpfThatDoesNotAuthoriseTheSendingIp_FailsWithTheAmendedRecord()
    {
        var spf = Finding(await AuditAsync("wrongip.audit.test"), "SPF 127.0.0.1");
        Assert.Equal(AuditStatus.Fail, spf.Status);
        Assert.Contains("not authorised", spf.Summary, StringComparison.Ordinal);
        Assert.Equal("wrongip.audit.test. TXT \"v=spf1 ip4:127.0.0.1 ip4:192.0.2.10 -all\"", spf.Fix);
    }

    [Fact]
    public async Task WeakAndRevokedDkimKeys_WarnAndFail()
    {
        var report = await AuditAsync("weakdkim.audit.test", null, "rig", "weak", "tiny", "gone", "absent");
        Assert.Equal(AuditStatus.Pass, Finding(report, "DKIM rig").Status);
        Assert.Equal(AuditStatus.Warn, Finding(report, "DKIM weak").Status);
        Assert.Contains("1024-bit", Finding(report, "DKIM weak").Summary, StringComparison.Ordinal);
        Assert.Equal(AuditStatus.Fail, Finding(report, "DKIM tiny").Status);
        Assert.Contains("512-bit", Finding(report, "DKIM tiny").Summary, StringComparison.Ordinal);
        Assert.Equal(AuditStatus.Fail, Finding(report, "DKIM gone").Status);
        Assert.Contains("revoked", Finding(report, "DKIM gone").Summary, StringComparison.Ordinal);
        Assert.Equal(AuditStatus.Fail, Finding(report, "DKIM absent").Status);
    }

    [Fact]
    public async Task ListedIp_FailsWithTheListsReason_AndARefusalAnswerIsUnknown()
    {
        var listed = Finding(await AuditAsync("clean.audit.test", IPAddress.Parse("127.0.0.2")), "DNSBL zen.test 127.0.0.2");
        Assert.Equal(AuditStatus.Fail, listed.Status);
        Assert.Contains("Listed in zen.test", listed.Evidence);

        var refused = Finding(await AuditAsync("clean.audit.test", IPAddress.Parse("127.0.0.4")), "DNSBL zen.test 127.0.0.4");
        Assert.Equal(AuditStatus.Unknown, refused.Status); // 127.255.255.254: the list did not answer the question
    }

    [Fact]
    public async Task PtrThatDoesNotResolveBack_FailsFcrdns()
    {
        var ptr = Finding(await AuditAsync("clean.audit.test", IPAddress.Parse("127.0.0.3")), "PTR 127.0.0.3");
        Assert.Equal(AuditStatus.Fail, ptr.Status);
        Assert.Contains("elsewhere.audit.test", ptr.Evidence[0], StringComparison.Ordinal);
        Assert.Equal("elsewhere.audit.test. A 127.0.0.3", ptr.Fix);
    }

    [Fact]
    public async Task ResolverThatTimesOut_IsReportedUnknownNeverPass()
    {
        // a UDP port that receives and never answers
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var report = await Auditor($"127.0.0.1:{port}", TimeSpan.FromMilliseconds(300)).AuditAsync(new AuditRequest("clean.audit.test", [Sending], ["rig"]), default);
        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => Assert.Equal(AuditStatus.Unknown, f.Status));
        Assert.Contains(report.Findings, f => f.Check == "SPF" && f.Summary.Contains("temperror", StringComparison.Ordinal));
    }
}

/// <summary>Audit history in Table Storage, and the health event a worse audit raises.</summary>
public class DomainAuditHistoryTests
{
    [Fact]
    public async Task DomainThatGetsWorse_IsStoredWithHistory_AndRaisesAHealthEvent()
    {
        Rig.Require(RigService.Azurite, RigService.Dns);
        await using var rig = new RigServices(new Dictionary<string, string?> { ["Audit:IpBlocklists:0"] = "zen.test", ["Audit:DomainBlocklists:0"] = "zen.test" });
        var history = rig.Get<IAuditHistory>();

        // yesterday the domain published DMARC; today the record is gone
        var yesterday = new AuditReport("nodmarc.audit.test", DateTimeOffset.UtcNow.AddDays(-1), [new AuditFinding("DMARC", AuditStatus.Pass, "p=reject", ["v=DMARC1; p=reject"])]);
        await history.AddAsync(yesterday, default);

        var (report, worse) = await rig.Get<DomainAuditService>().AuditAsync(new AuditRequest("nodmarc.audit.test", [IPAddress.Loopback], ["rig"]), default);
        Assert.Equal(AuditStatus.Fail, Assert.Single(report.Findings, f => f.Check == "DMARC").Status);
        Assert.Equal(["DMARC"], worse.Select(w => w.Split(':')[0]));

        var stored = await history.ListAsync("nodmarc.audit.test", 10, default);
        Assert.Equal(2, stored.Count);
        Assert.Equal(report.Findings.Count, stored[0].Findings.Count); // newest first
        Assert.Equal(AuditStatus.Fail, stored[0].Worst);

        var events = await rig.Get<IHealthEvents>().ListEventsAsync("domain:nodmarc.audit.test", 10, default);
        var raised = Assert.Single(events);
        Assert.Equal("audit-worse", raised.Kind);
        Assert.Contains("DMARC: pass -> fail", raised.Evidence, StringComparison.Ordinal);

        // the same state again is not "worse" a second time
        var (_, again) = await rig.Get<DomainAuditService>().AuditAsync(new AuditRequest("nodmarc.audit.test", [IPAddress.Loopback], ["rig"]), default);
        Assert.Empty(again);
    }
}
