using EmailInfra.Core.Sending;
using Microsoft.Extensions.Time.Testing;

namespace EmailInfra.Core.Tests.Sending;

/// <summary>The lease of a claim, the stranded-row rule and the cap windows, on a clock the test drives.</summary>
public class LeaseAndWindowTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 55, 0, TimeSpan.Zero);

    private static LedgerEntry Row(SendState state) => new()
    {
        Key = new LedgerKey("alice@alpha.test", new DateOnly(2026, 12, 2), "s1"),
        PoolId = "p",
        Kind = SendKind.Warmup,
        Recipient = "bob@beta.test",
        Subject = "s",
        ScheduledAt = T0,
        State = state,
    };

    [Fact]
    public void Lease_JudgedOnStoragesClock_NotOnTheTwoInstancesClocks()
    {
        // the claimer's clock ran 5 minutes fast: its own ClaimedAt says the claim is in the future; storage's clock says 1 minute ago
        var time = new FakeTimeProvider(T0);
        var row = Row(SendState.Sending) with { ClaimedAt = T0.AddMinutes(5), StoredAt = T0.AddMinutes(-1), ReadAt = T0 };
        Assert.Equal(TimeSpan.FromMinutes(1), ClaimLease.Remaining(row, Lease, time.GetUtcNow()));
        Assert.True(ClaimLease.Remaining(row with { ReadAt = T0.AddMinutes(1) }, Lease, time.GetUtcNow()) <= TimeSpan.Zero);
    }

    [Fact]
    public void Lease_WithoutStorageTimes_FallsBackToTheClaimTime()
    {
        var time = new FakeTimeProvider(T0);
        var row = Row(SendState.Sending) with { ClaimedAt = T0, UpdatedAt = T0.AddMinutes(-30) };
        Assert.Equal(Lease, ClaimLease.Remaining(row, Lease, time.GetUtcNow()));
        time.Advance(Lease);
        Assert.Equal(TimeSpan.Zero, ClaimLease.Remaining(row, Lease, time.GetUtcNow()));
    }

    [Fact]
    public void Stranded_OnlyWellPastItsDueTime_AndOnlyWhileUnfinished()
    {
        var options = new SendingOptions { StrandedAfter = TimeSpan.FromMinutes(30) };
        var time = new FakeTimeProvider(T0);
        var deferred = Row(SendState.Deferred) with { DueAt = T0.AddHours(1) };
        time.Advance(TimeSpan.FromMinutes(89));
        Assert.False(StrandedSends.IsStranded(deferred, time.GetUtcNow(), options));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(StrandedSends.IsStranded(deferred, time.GetUtcNow(), options));
        Assert.False(StrandedSends.IsStranded(deferred with { State = SendState.Sent }, time.GetUtcNow(), options));
        Assert.False(StrandedSends.IsStranded(deferred with { State = SendState.Unverified }, time.GetUtcNow(), options));
        Assert.True(StrandedSends.IsStranded(deferred with { State = SendState.Sent, SentCopy = SentCopyState.Pending }, time.GetUtcNow(), options));
    }

    [Fact]
    public void Stranded_SendingRow_CountsFromTheEndOfItsLease()
    {
        var options = new SendingOptions { StrandedAfter = TimeSpan.FromMinutes(30), SendingLease = TimeSpan.FromMinutes(2) };
        var sending = Row(SendState.Sending) with { DueAt = T0, ClaimedAt = T0.AddMinutes(10) };
        Assert.False(StrandedSends.IsStranded(sending, T0.AddMinutes(41), options));
        Assert.True(StrandedSends.IsStranded(sending, T0.AddMinutes(43), options));
    }

    [Fact]
    public void MailboxDay_IsThePoolsLocalDay()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // 03:00 UTC on 2 December is 22:00 on 1 December in New York: the same day a 20:00 UTC send of 1 December counted in
        var late = CapacityScope.MailboxDay("a@x.test", new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero), zone);
        var evening = CapacityScope.MailboxDay("a@x.test", new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(evening.Key, late.Key);
        Assert.EndsWith("20261201", late.Key, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero), late.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero), late.WindowEnd);
    }

    [Fact]
    public void MailboxDay_AcrossADaylightSavingChange_LastsTheLocalDay()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = CapacityScope.MailboxDay("a@x.test", new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(TimeSpan.FromHours(23), day.WindowEnd - day.WindowStart);
    }

    [Fact]
    public void PoolHour_IsOneScopeForEveryHour_CoveringTheBucketsAnySixtyMinutesCanTouch()
    {
        var before = CapacityScope.PoolHour("p", new DateTimeOffset(2026, 12, 2, 10, 59, 0, TimeSpan.Zero));
        var after = CapacityScope.PoolHour("p", new DateTimeOffset(2026, 12, 2, 11, 0, 30, TimeSpan.Zero));
        Assert.Equal(before.Key, after.Key);
        Assert.Equal(TimeSpan.FromHours(1), after.Rolling);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), after.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 11, 10, 0, TimeSpan.Zero), after.WindowEnd);
    }
}
