using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Tests.Health;

/// <summary>The default health rules on recorded metric histories: each rule firing and not, the minimum sample, hysteresis, overrides.</summary>
public class HealthEvaluatorTests
{
    private static readonly HealthRules Rules = HealthRules.Default();
    private static readonly DateOnly Today = new(2026, 12, 3);
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly HealthScope Mailbox = HealthScope.Mailbox("a@cold.test");

    /// <summary>A history of <paramref name="days"/> days ending today, each with the given counts.</summary>
    private static HealthSignals History(int days, params (MailboxMetric Metric, long Count)[] perDay) => new(
        Today,
        Enumerable.Range(0, days).Select(i => new DailyMetrics("a@cold.test", Today.AddDays(-i), perDay.ToDictionary(p => p.Metric, p => p.Count))).ToList(),
        [],
        []);

    private static HealthVerdict Evaluate(HealthSignals signals, HealthRecord? current = null, DateTimeOffset? at = null, HealthScope? scope = null) =>
        HealthEvaluator.Evaluate(Rules, scope ?? Mailbox, signals, current, at ?? Now);

    /// <summary>Seven days of <paramref name="sentPerDay"/> sends, and <paramref name="complaints"/> complaints today.</summary>
    private static HealthSignals Week(long sentPerDay, long complaints) => new(
        Today,
        Enumerable.Range(0, 7).Select(i => new DailyMetrics("a@cold.test", Today.AddDays(-i), new Dictionary<MailboxMetric, long>
        {
            [MailboxMetric.Sent] = sentPerDay,
            [MailboxMetric.Complaints] = i == 0 ? complaints : 0,
        })).ToList(),
        [],
        []);

    [Theory]
    [InlineData(200, 0, HealthLevel.Clear)]     // 0%
    [InlineData(200, 1, HealthLevel.Clear)]     // 1 of 1,400 = 0.07%: under 0.1%
    [InlineData(100, 1, HealthLevel.Throttled)] // 1 of 700 = 0.14%: Google's 0.1% throttles
    [InlineData(50, 2, HealthLevel.Paused)]     // 2 of 350 = 0.57%: at or above 0.3% pauses
    public void ComplaintRate_ThrottlesAtGoogles01_PausesAt03(long sentPerDay, long complaints, HealthLevel expected)
    {
        var verdict = Evaluate(Week(sentPerDay, complaints));
        Assert.Equal(expected, verdict.Record.Level);
        Assert.Equal(expected != HealthLevel.Clear, verdict.LevelChanged);
        if (expected != HealthLevel.Clear)
        {
            var cause = Assert.IsType<HealthFinding>(verdict.Cause);
            Assert.Equal("complaint-rate", cause.Rule);
            Assert.Contains($"{complaints} of {sentPerDay * 7} (Complaints per Sent)", cause.Evidence, StringComparison.Ordinal);
            Assert.Contains("2026-11-27..2026-12-03 (7-day window)", cause.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ComplaintRate_BelowTheMinimumSample_DoesNotFire()
    {
        // 2 complaints in 63 sends is 3%, but 63 sends are too few to judge (minimum 100)
        var verdict = Evaluate(Week(9, 2));
        Assert.Equal(HealthLevel.Clear, verdict.Record.Level);
        Assert.False(verdict.LevelChanged);
    }

    [Theory]
    [InlineData(2, HealthLevel.Clear)]     // exactly 2%: "more than 2%" does not fire
    [InlineData(3, HealthLevel.Throttled)] // 3%
    [InlineData(5, HealthLevel.Throttled)] // exactly 5%: throttles, does not pause
    [InlineData(6, HealthLevel.Paused)]
    public void HardBounceRate_ThrottlesAbove2_PausesAbove5(long bouncesPerHundred, HealthLevel expected)
    {
        var days = new HealthSignals(Today, [new DailyMetrics("a@cold.test", Today, new Dictionary<MailboxMetric, long> { [MailboxMetric.Sent] = 100, [MailboxMetric.HardBounces] = bouncesPerHundred })], [], []);
        Assert.Equal(expected, Evaluate(days).Record.Level);
    }

    [Fact]
    public void JunkPlacement_OverTenPercent_HoldsTheRamp_OverAQuarter_Throttles()
    {
        Assert.Equal(HealthLevel.RampHeld, Evaluate(History(4, (MailboxMetric.PlacedInbox, 8), (MailboxMetric.PlacedJunk, 1))).Record.Level);
        Assert.Equal(HealthLevel.Throttled, Evaluate(History(4, (MailboxMetric.PlacedInbox, 6), (MailboxMetric.PlacedJunk, 3))).Record.Level);
        Assert.Equal(HealthLevel.Clear, Evaluate(History(4, (MailboxMetric.PlacedInbox, 20), (MailboxMetric.PlacedJunk, 1))).Record.Level);
    }

    [Fact]
    public void Hysteresis_AFiredRule_ClearsOnlyWellBelowItsThreshold_AndAfterTheMinimumHold()
    {
        var paused = Evaluate(Week(50, 2)).Record;
        Assert.Equal(HealthLevel.Paused, paused.Level);

        // 2 of 1,050 = 0.19% is under the 0.3% pause threshold but above half of it: still paused, and no event
        var later = Now.AddDays(2);
        var still = Evaluate(Week(150, 2), paused, later);
        Assert.Equal(HealthLevel.Paused, still.Record.Level);
        Assert.False(still.LevelChanged);

        // none in 3,500: clean well below: lowered, but not within the minimum hold of 24 hours
        var clean = Week(500, 0);
        Assert.Equal(HealthLevel.Paused, Evaluate(clean, paused, Now.AddHours(3)).Record.Level);
        var cleared = Evaluate(clean, paused, later);
        Assert.Equal(HealthLevel.Clear, cleared.Record.Level);
        Assert.True(cleared.LevelChanged);
        Assert.Contains("complaint-rate", cleared.Cause!.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AFiredRule_StaysWhenTheWindowFallsBelowTheMinimumSample()
    {
        var paused = Evaluate(Week(50, 2)).Record;
        var quiet = Evaluate(History(1, (MailboxMetric.Sent, 3)), paused, Now.AddDays(3));
        Assert.Equal(HealthLevel.Paused, quiet.Record.Level);
    }

    [Fact]
    public void OperatorResume_SurvivesTheNextEvaluation_ButNewComplaintsPauseAgain()
    {
        var paused = Evaluate(Week(50, 2)).Record;
        var resumed = paused with { Level = HealthLevel.Clear, Since = Now, Findings = [], Override = new HealthOverride(HealthLevel.Clear, "ops", Now, "checked the list"), EvidenceSince = Now };

        // the same history: the operator has seen it, so it does not pause again
        Assert.Equal(HealthLevel.Clear, Evaluate(Week(50, 2), resumed, Now.AddMinutes(15)).Record.Level);

        // two days later, fresh complaints over enough sends pause it again
        var fresh = new HealthSignals(Today.AddDays(2), [new DailyMetrics("a@cold.test", Today.AddDays(1), new Dictionary<MailboxMetric, long> { [MailboxMetric.Sent] = 150, [MailboxMetric.Complaints] = 1 }), new DailyMetrics("a@cold.test", Today.AddDays(2), new Dictionary<MailboxMetric, long> { [MailboxMetric.Sent] = 150, [MailboxMetric.Complaints] = 1 })], [], []);
        Assert.Equal(HealthLevel.Paused, Evaluate(fresh, resumed, Now.AddDays(2)).Record.Level);
    }

    [Fact]
    public void OperatorPause_IsAFloor_RulesCannotLiftIt()
    {
        var pinned = new HealthRecord(Mailbox) { Level = HealthLevel.Paused, Since = Now.AddDays(-5), Override = new HealthOverride(HealthLevel.Paused, "ops", Now.AddDays(-5), "list under review") };
        var verdict = Evaluate(History(7, (MailboxMetric.Sent, 100)), pinned);
        Assert.Equal(HealthLevel.Paused, verdict.Record.Level);
        Assert.False(verdict.LevelChanged);
    }

    [Fact]
    public void Retired_IsFinal()
    {
        var retired = new HealthRecord(Mailbox) { Level = HealthLevel.Retired, Since = Now.AddDays(-1) };
        Assert.Equal(HealthLevel.Retired, Evaluate(History(7, (MailboxMetric.Sent, 100)), retired).Record.Level);
    }

    [Fact]
    public void FailingAuthenticationAudit_PausesTheDomain_UnknownChangesNothing()
    {
        var domain = HealthScope.Domain("cold.test");
        AuditReport Report(AuditStatus dkim) => new("cold.test", Now, [new AuditFinding("SPF", AuditStatus.Pass, "ok", []), new AuditFinding("DKIM", dkim, "no DKIM key found", [], "rig._domainkey.cold.test TXT v=DKIM1; ...")]);
        var failing = Evaluate(new HealthSignals(Today, [], [Report(AuditStatus.Fail)], []), scope: domain);
        Assert.Equal(HealthLevel.Paused, failing.Record.Level);
        Assert.Contains("publish: rig._domainkey", failing.Cause!.Evidence, StringComparison.Ordinal);
        Assert.Equal(HealthLevel.Paused, Evaluate(new HealthSignals(Today, [], [Report(AuditStatus.Unknown)], []), failing.Record, Now.AddDays(2), domain).Record.Level);
        Assert.Equal(HealthLevel.Clear, Evaluate(new HealthSignals(Today, [], [Report(AuditStatus.Pass)], []), failing.Record, Now.AddDays(2), domain).Record.Level);

        // the audit rule judges domains, not mailboxes
        Assert.Equal(HealthLevel.Clear, Evaluate(new HealthSignals(Today, [], [Report(AuditStatus.Fail)], [])).Record.Level);
    }

    [Fact]
    public void BlocklistedSendingIp_PausesThePool_AListedDomainPausesTheDomain()
    {
        var ipListed = new AuditReport("cold.test", Now, [new AuditFinding("DNSBL zen.spamhaus.org 192.0.2.7", AuditStatus.Fail, "192.0.2.7 is listed", ["127.0.0.2"])]);
        Assert.Equal(HealthLevel.Paused, Evaluate(new HealthSignals(Today, [], [ipListed], []), scope: HealthScope.Pool("p1")).Record.Level);
        Assert.Equal(HealthLevel.Clear, Evaluate(new HealthSignals(Today, [], [ipListed], []), scope: HealthScope.Domain("cold.test")).Record.Level);
        var domainListed = new AuditReport("cold.test", Now, [new AuditFinding("DNSBL dbl.spamhaus.org", AuditStatus.Fail, "cold.test is listed", ["127.0.1.2"])]);
        Assert.Equal(HealthLevel.Paused, Evaluate(new HealthSignals(Today, [], [domainListed], []), scope: HealthScope.Domain("cold.test")).Record.Level);
    }

    [Fact]
    public void ReceiversDmarcFailures_PauseTheDomain()
    {
        var domain = HealthScope.Domain("cold.test");
        Assert.Equal(HealthLevel.Paused, Evaluate(History(2, (MailboxMetric.DmarcPass, 8), (MailboxMetric.DmarcFail, 2)), scope: domain).Record.Level);
        Assert.Equal(HealthLevel.Clear, Evaluate(History(2, (MailboxMetric.DmarcPass, 20), (MailboxMetric.DmarcFail, 0)), scope: domain).Record.Level);
        Assert.Equal(HealthLevel.Clear, Evaluate(History(1, (MailboxMetric.DmarcFail, 4)), scope: domain).Record.Level); // 4 verdicts: below the sample
    }

    [Fact]
    public void ReputationBouncesFromOneProvider_ThrottleThePoolTowardsThatProviderOnly()
    {
        var pool = HealthScope.Pool("p1");
        var day = new DailyMetrics("a@cold.test", Today, new Dictionary<MailboxMetric, long> { [MailboxMetric.Sent] = 60 })
        {
            Breakdown = new Dictionary<string, long>
            {
                [MetricBreakdown.ByProvider(MailboxMetric.Sent, "microsoft")] = 30,
                [MetricBreakdown.ByProvider(MailboxMetric.Sent, "google")] = 30,
                [MetricBreakdown.ByReason("blocked", "microsoft")] = 2,
                [MetricBreakdown.ByReason("userunknown", "google")] = 3, // a recipient's problem, not the sender's
            },
        };
        var verdict = Evaluate(new HealthSignals(Today, [day], [], []), scope: pool);
        Assert.Equal(HealthLevel.Clear, verdict.Record.Level);
        Assert.Equal(0.25, verdict.Record.ProviderThrottles["microsoft"]);
        Assert.False(verdict.Record.ProviderThrottles.ContainsKey("google"));
        Assert.Equal(["microsoft throttled"], verdict.ProviderChanges);
    }

    [Theory]
    [InlineData(12, 8, true)]  // 8 of 20 placements at Microsoft in junk (40%): throttled towards Microsoft
    [InlineData(16, 4, false)] // 20%: under the quarter
    [InlineData(6, 4, false)]  // 40%, but 10 placements are under the minimum sample of 20
    public void JunkPlacementAtOneProvider_ThrottlesThePoolTowardsThatProviderOnly(long inbox, long junk, bool throttled)
    {
        var pool = HealthScope.Pool("p1");
        var day = new DailyMetrics("a@cold.test", Today, new Dictionary<MailboxMetric, long>
        {
            [MailboxMetric.Sent] = 60, [MailboxMetric.PlacedInbox] = inbox + 30, [MailboxMetric.PlacedJunk] = junk,
        })
        {
            Breakdown = new Dictionary<string, long>
            {
                [MetricBreakdown.ByProvider(MailboxMetric.Sent, "microsoft")] = 30,
                [MetricBreakdown.ByProvider(MailboxMetric.Sent, "google")] = 30,
                [MetricBreakdown.ByProvider(MailboxMetric.PlacedInbox, "microsoft")] = inbox,
                [MetricBreakdown.ByProvider(MailboxMetric.PlacedJunk, "microsoft")] = junk,
                [MetricBreakdown.ByProvider(MailboxMetric.PlacedInbox, "google")] = 30,
            },
        };
        var verdict = Evaluate(new HealthSignals(Today, [day], [], []), scope: pool);
        Assert.Equal(throttled, verdict.Record.ProviderThrottles.ContainsKey("microsoft"));
        Assert.False(verdict.Record.ProviderThrottles.ContainsKey("google"));
        if (throttled)
        {
            Assert.Equal(0.5, verdict.Record.ProviderThrottles["microsoft"]);
            var finding = Assert.Single(verdict.Record.Findings, f => f.Rule == "junk-placement-by-provider");
            Assert.Contains("8 of 20 (PlacedJunk per PlacedInbox+PlacedJunk at microsoft)", finding.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RefusedCredentials_PauseTheMailbox()
    {
        var refused = new MailboxConnection("a@cold.test", MailProtocol.Imap, ConnectionStatus.CredentialsRefused, Now.AddHours(-1), Now, 3, "AUTHENTICATIONFAILED");
        var verdict = Evaluate(new HealthSignals(Today, [], [], [refused]));
        Assert.Equal(HealthLevel.Paused, verdict.Record.Level);
        Assert.Contains("AUTHENTICATIONFAILED", verdict.Cause!.Evidence, StringComparison.Ordinal);
        Assert.Equal(HealthLevel.Clear, Evaluate(new HealthSignals(Today, [], [], [refused with { Status = ConnectionStatus.Unreachable }])).Record.Level);
    }

    [Fact]
    public void Throttled_CarriesTheRulesFactor()
    {
        var verdict = Evaluate(Week(100, 1));
        Assert.Equal(HealthLevel.Throttled, verdict.Record.Level);
        Assert.Equal(0.5, verdict.Record.ThrottleFactor);
    }
}
