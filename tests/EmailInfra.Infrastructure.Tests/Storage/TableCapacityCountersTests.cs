using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Infrastructure.Tests.Storage;

/// <summary>Rolling and fixed windows, and back-offs, in real Table Storage (Azurite).</summary>
public class TableCapacityCountersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 55, 0, TimeSpan.Zero);

    [Fact(Timeout = 30_000)]
    public async Task RollingHour_NoSixtyMinutesHoldMoreThanTheCap_AcrossAnHourBoundary()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var counters = rig.Get<ICapacityCounters>();
        Task<Reservation> ReserveAsync(string id, DateTimeOffset at) => counters.TryReserveAsync(CapacityScope.PoolHour("p", at), id, 3, TimeSpan.Zero, at, default);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ReservationOutcome.Reserved, (await ReserveAsync($"a{i}", T0)).Outcome);
        }

        // fixed clock hours would allow three more at 11:05; sixty minutes from 10:55 must not
        var refused = await ReserveAsync("b0", T0.AddMinutes(10));
        Assert.Equal(ReservationOutcome.CapReached, refused.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), refused.FreesAt);
        Assert.Equal(ReservationOutcome.CapReached, (await ReserveAsync("b0", T0.AddMinutes(64))).Outcome);
        Assert.Equal(ReservationOutcome.Reserved, (await ReserveAsync("b0", refused.FreesAt!.Value)).Outcome);

        // a redelivery inside the window holds its place once; one deferred past the window counts again
        Assert.Equal(ReservationOutcome.AlreadyHeld, (await ReserveAsync("b0", refused.FreesAt!.Value.AddMinutes(5))).Outcome);
        Assert.Equal(ReservationOutcome.Reserved, (await ReserveAsync("a0", T0.AddHours(3))).Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task RollingHour_Release_GivesThePlaceBack()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var counters = rig.Get<ICapacityCounters>();
        var scope = CapacityScope.PoolHour("p", T0);
        Assert.Equal(ReservationOutcome.Reserved, (await counters.TryReserveAsync(scope, "a", 1, TimeSpan.Zero, T0, default)).Outcome);
        Assert.Equal(ReservationOutcome.CapReached, (await counters.TryReserveAsync(scope, "b", 1, TimeSpan.Zero, T0, default)).Outcome);
        await counters.ReleaseAsync(scope, "a", default);
        Assert.Equal(0, await counters.CountAsync(scope, default));
        Assert.Equal(ReservationOutcome.Reserved, (await counters.TryReserveAsync(scope, "b", 1, TimeSpan.Zero, T0, default)).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task Backoff_ConcurrentWriters_TheLongestBackoffWins()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var counters = rig.Get<ICapacityCounters>();
        var now = DateTimeOffset.UtcNow;
        for (var round = 0; round < 5; round++)
        {
            var provider = $"prov{round}";
            var untils = Enumerable.Range(1, 16).Select(i => now.AddMinutes(i * 7 % 17 + 1)).ToList();
            await Task.WhenAll(untils.Select(u => Task.Run(() => counters.SetBackoffAsync("p", provider, u, "test", default))));
            Assert.Equal(untils.Max(), await counters.BackoffUntilAsync("p", provider, now, default));
        }
    }
}
