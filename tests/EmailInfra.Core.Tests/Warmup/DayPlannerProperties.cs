using CsCheck;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Tests.Warmup;

/// <summary>Properties of the day planner over generated days, networks and histories.</summary>
public class DayPlannerProperties
{
    private static readonly Gen<DayPlanInput> Inputs =
        from volume in Gen.Int[0, 60]
        from windowMinutes in Gen.Int[1, 16 * 60]
        from gapSeconds in Gen.Int[0, 3600]
        from peerCount in Gen.Int[0, 30]
        from domainCount in Gen.Int[1, 6]
        from includeSelf in Gen.Bool
        from maxPair in Gen.Int[1, 5]
        from history in Gen.Int[0, 5].Array[30]
        from replyRate in Gen.Double[0, 1]
        from seed in Gen.Int
        let peers = Enumerable.Range(0, peerCount)
            .Select(i => new WarmupPeer($"p{i}@d{i % domainCount}.test", $"d{i % domainCount}.test", i % 3 == 0 ? "google" : i % 3 == 1 ? "microsoft" : "other"))
            .Concat(includeSelf ? [new WarmupPeer("me@d0.test", "d0.test", "google")] : [])
            .ToList()
        select new DayPlanInput(
            "me@d0.test",
            volume,
            new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero).AddMinutes(windowMinutes),
            TimeSpan.FromSeconds(gapSeconds),
            peers,
            peers.Select((p, i) => (p.Address, history[i % history.Length])).ToDictionary(x => x.Address, x => x.Item2),
            maxPair,
            replyRate,
            seed);

    [Fact]
    public void Plan_NeverOverTheVolume() =>
        Inputs.Sample(i => DayPlanner.Plan(i).Count <= i.Volume);

    [Fact]
    public void Plan_EveryGapAtLeastTheMinimum() =>
        Inputs.Sample(i =>
        {
            var times = DayPlanner.Plan(i).Select(s => s.At).ToList();
            return times.Zip(times.Skip(1), (a, b) => b - a).All(d => d >= i.MinimumGap);
        });

    [Fact]
    public void Plan_EverySendInsideTheWindow() =>
        Inputs.Sample(i => DayPlanner.Plan(i).All(s => s.At >= i.WindowStart && s.At < i.WindowEnd));

    [Fact]
    public void Plan_NeverSendsToItself() =>
        Inputs.Sample(i => DayPlanner.Plan(i).All(s => s.Recipient != i.Mailbox));

    [Fact]
    public void Plan_NoPairOverItsWeeklyLimit() =>
        Inputs.Sample(i => DayPlanner.Plan(i).GroupBy(s => s.Recipient)
            .All(g => i.PairCountsThisWeek.GetValueOrDefault(g.Key) + g.Count() <= Math.Max(i.MaxPerPairPerWeek, i.PairCountsThisWeek.GetValueOrDefault(g.Key))));

    [Fact]
    public void Plan_SameSeed_SamePlan() =>
        Inputs.Sample(i => DayPlanner.Plan(i).SequenceEqual(DayPlanner.Plan(i)));

    // a network with more peers than sends and no history this week
    private static readonly Gen<DayPlanInput> FreshInputs =
        from volume in Gen.Int[1, 30]
        from extra in Gen.Int[0, 10]
        from domainCount in Gen.Int[1, 6]
        from seed in Gen.Int
        let peers = Enumerable.Range(0, volume + extra).Select(i => new WarmupPeer($"p{i}@d{i % domainCount}.test", $"d{i % domainCount}.test", "other")).ToList()
        select new DayPlanInput(
            "me@d0.test", volume, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(10), TimeSpan.FromMinutes(5),
            peers, new Dictionary<string, int>(), 2, 0.35, seed);

    [Fact]
    public void Plan_EnoughFreshPeers_EachUsedAtMostOnce_DomainsSpread() =>
        FreshInputs.Sample(i =>
            {
                var plan = DayPlanner.Plan(i);
                var domains = i.Peers.Where(p => p.Address != i.Mailbox).Select(p => p.Domain).Distinct().Count();
                var perDomain = plan.GroupBy(s => i.Peers.First(p => p.Address == s.Recipient).Domain).Select(g => g.Count()).DefaultIfEmpty(0);
                // every planned send goes to a different peer, and no domain gets more than its share plus one
                return plan.Count == i.Volume && plan.Select(s => s.Recipient).Distinct().Count() == plan.Count
                    && perDomain.Max() <= (int)Math.Ceiling((double)plan.Count / domains) + 1;
            });

    [Fact]
    public void Plan_RoomyWindow_PlansTheWholeVolume()
    {
        var peers = Enumerable.Range(0, 10).Select(i => new WarmupPeer($"p{i}@d{i % 3}.test", $"d{i % 3}.test", "other")).ToList();
        var input = new DayPlanInput("me@d0.test", 12, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(8), TimeSpan.FromMinutes(10), peers, new Dictionary<string, int>(), 3, 0.35, 42);
        var plan = DayPlanner.Plan(input);
        Assert.Equal(12, plan.Count);
        Assert.InRange(plan.Count(s => s.Reply), 1, 11);
        Assert.All(plan.Where(s => s.Reply), s => Assert.InRange(s.ReplyDelay, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(180)));
    }
}
