using EmailInfra.Core.Reputation;
using EmailInfra.Testing;

namespace EmailInfra.Infrastructure.Tests.Storage;

public class TableMetricsStoreTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    [Fact(Timeout = 60_000)]
    public async Task CountOnce_SameEventTwice_CountsOne()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var metrics = rig.Get<IMetricsStore>();
        Assert.True(await metrics.CountOnceAsync("alice@alpha.test", Day, MailboxMetric.Sent, "sent|1", default));
        Assert.False(await metrics.CountOnceAsync("alice@alpha.test", Day, MailboxMetric.Sent, "sent|1", default));
        Assert.Equal(1, (await metrics.GetAsync("alice@alpha.test", Day, default))[MailboxMetric.Sent]);
    }

    [Fact(Timeout = 120_000)]
    public async Task CountOnce_ConcurrentWriters_NoLostOrDoubledCounts()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var metrics = rig.Get<IMetricsStore>();

        // 24 distinct events, each reported by three racing writers (redeliveries), across two metrics.
        var tasks = Enumerable.Range(0, 72).Select(i =>
            metrics.CountOnceAsync("alice@alpha.test", Day, i % 2 == 0 ? MailboxMetric.Sent : MailboxMetric.PlacedInbox, $"event|{i % 24}", default));
        var counted = await Task.WhenAll(tasks);

        var day = await metrics.GetAsync("alice@alpha.test", Day, default);
        Assert.Equal(counted.Count(c => c), day[MailboxMetric.Sent] + day[MailboxMetric.PlacedInbox]);
        Assert.Equal(12, day[MailboxMetric.Sent]);
        Assert.Equal(12, day[MailboxMetric.PlacedInbox]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_NoRow_AllZero()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var day = await rig.Get<IMetricsStore>().GetAsync("nobody@alpha.test", Day, default);
        Assert.All(Enum.GetValues<MailboxMetric>(), m => Assert.Equal(0, day[m]));
    }

    [Fact(Timeout = 60_000)]
    public async Task CountOnce_WithBreakdowns_CountsThemInTheSameWrite_AndARangeReadsTheDaysAlone()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var metrics = rig.Get<IMetricsStore>();
        string[] breakdowns = [MetricBreakdown.ByProvider(MailboxMetric.HardBounces, "microsoft"), MetricBreakdown.ByReason("blocked", "microsoft")];
        Assert.True(await metrics.CountOnceAsync("carol@beta.test", Day, MailboxMetric.HardBounces, "bounce|1", breakdowns, default));
        Assert.False(await metrics.CountOnceAsync("carol@beta.test", Day, MailboxMetric.HardBounces, "bounce|1", breakdowns, default));
        await metrics.CountOnceAsync("carol@beta.test", Day.AddDays(-3), MailboxMetric.Sent, "sent|1", MetricBreakdown.For(MailboxMetric.Sent, "microsoft"), default);
        await metrics.CountOnceAsync("carol@beta.test", Day.AddDays(-40), MailboxMetric.Sent, "sent|old", default);

        var days = await metrics.GetRangeAsync("carol@beta.test", Day.AddDays(-29), Day, default);
        Assert.Equal([Day.AddDays(-3), Day], days.Select(d => d.Day));
        var today = days[1];
        Assert.Equal(1, today[MailboxMetric.HardBounces]);
        Assert.Equal(1, today.Breakdown["HardBounces__microsoft"]);
        Assert.Equal(1, today.Breakdown["Reason__blocked__microsoft"]);
        Assert.Equal(1, days[0].Breakdown["Sent__microsoft"]);
    }
}
