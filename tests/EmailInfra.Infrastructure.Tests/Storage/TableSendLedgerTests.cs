using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Infrastructure.Tests.Storage;

public class TableSendLedgerTests
{
    private static LedgerEntry Planned(string sendId) => new()
    {
        Key = new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 28), sendId),
        PoolId = "rig",
        Kind = SendKind.Warmup,
        Recipient = "carol@beta.test",
        Subject = "s",
        ScheduledAt = DateTimeOffset.UnixEpoch,
    };

    [Fact(Timeout = 30_000)]
    public async Task TryAdd_SameKeyTwice_SecondIsRefused()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var ledger = rig.Get<ISendLedger>();
        Assert.True(await ledger.TryAddAsync(Planned("a"), default));
        Assert.False(await ledger.TryAddAsync(Planned("a") with { Recipient = "other@beta.test" }, default));
        Assert.Equal("carol@beta.test", (await ledger.GetAsync(Planned("a").Key, default))!.Recipient);
    }

    [Fact(Timeout = 30_000)]
    public async Task TryReplace_TwoWritersWithOneETag_OnlyOneWins()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var ledger = rig.Get<ISendLedger>();
        await ledger.TryAddAsync(Planned("b"), default);
        var read = (await ledger.GetAsync(Planned("b").Key, default))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            ledger.TryReplaceAsync(read with { State = SendState.Sending, MessageId = $"m{i}@alpha.test" }, default)));
        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner!.MessageId, (await ledger.GetAsync(read.Key, default))!.MessageId);
    }

    [Fact(Timeout = 30_000)]
    public async Task FindByMessageId_HostileCharacters_RoundTrips()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var ledger = rig.Get<ISendLedger>();
        var entry = Planned("c/#?\u0001é");
        await ledger.TryAddAsync(entry, default);
        const string messageId = "we/ird#id?with%chars@alpha.test";
        await ledger.IndexMessageIdAsync(messageId, entry.Key, default);
        var found = await ledger.FindByMessageIdAsync(messageId, default);
        Assert.Equal(entry.Key, found!.Key);
        Assert.Null(await ledger.FindByMessageIdAsync("unknown@alpha.test", default));
    }

    [Fact(Timeout = 30_000)]
    public async Task ListDay_ReturnsOnlyThatMailboxAndDay()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var ledger = rig.Get<ISendLedger>();
        await ledger.TryAddAsync(Planned("d1"), default);
        await ledger.TryAddAsync(Planned("d2"), default);
        await ledger.TryAddAsync(Planned("d3") with { Key = new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 29), "d3") }, default);
        await ledger.TryAddAsync(Planned("d4") with { Key = new LedgerKey("bob@alpha.test", new DateOnly(2026, 11, 28), "d4") }, default);
        var day = await ledger.ListDayAsync("alice@alpha.test", new DateOnly(2026, 11, 28), default);
        Assert.Equal(["d1", "d2"], day.Select(e => e.Key.SendId).Order().ToArray());
    }
}
