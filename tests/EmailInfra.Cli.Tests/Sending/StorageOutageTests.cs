using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Sending;

/// <summary>Storage goes away for 20 s in the middle of a run: the process waits it out and every email arrives exactly once.</summary>
public class StorageOutageTests(ITestOutputHelper output)
{
    [Fact(Timeout = 480_000)]
    public async Task AzuriteDownForTwentySeconds_DuringTwoHundredSends_ProcessLives_EachDeliveredOnce_EveryRowTerminal()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var rig = new RigServices(new Dictionary<string, string?> { ["EmailInfraStorage"] = azurite.ConnectionString });
        var senders = Rig.Numbered.Take(10).ToList();
        var recipients = Rig.Numbered.Skip(10).Take(10).ToList();
        foreach (var address in senders.Concat(recipients))
        {
            await rig.RegisterRigMailboxAsync(address, poolId: "outage");
        }

        var planned = new List<LedgerEntry>();
        for (var i = 0; i < 200; i++)
        {
            planned.Add(await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(senders[i % 10], recipients[(i * 3 + i / 10) % 10], SendKind.Warmup), default));
        }

        var ledger = rig.Get<ISendLedger>();
        async Task<List<LedgerEntry>> RowsAsync() =>
            (await Task.WhenAll(senders.Select(s => ledger.ListDayAsync(s, planned[0].Key.Day, default)))).SelectMany(r => r).ToList();

        using var worker = EmailInfraProcess.Start(CliEnvironment.For(rig, new Dictionary<string, string?>
        {
            ["Sending__RetryBaseDelay"] = "00:00:01",
            ["LocalQueues__Lease"] = "00:00:15",
            ["LocalQueues__RetryVisibility"] = "00:00:01",
            ["LocalQueues__MaxPollingInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__EmailInfra.Cli.LocalMode.StorageAvailability"] = "Information",
        }), null, "run");

        // storage goes away while sends are flowing, for 20 s: longer than the storage SDK's own retries (about 20 s)
        var before = await Eventually.WaitAsync(async () => (await RowsAsync()).Count(e => e.State == SendState.Sent), n => n >= 30, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
        var down = DateTime.UtcNow;
        await azurite.StopAsync();
        var alive = 0;
        while (DateTime.UtcNow - down < TimeSpan.FromSeconds(20))
        {
            Assert.False(worker.HasExited, "emailinfra run stopped while storage was down:\n" + worker.Output);
            alive++;
            await Task.Delay(500);
        }

        await azurite.StartAgainAsync();
        output.WriteLine($"storage down for {(DateTime.UtcNow - down).TotalSeconds:F0} s with {before}/200 sent; the process answered {alive} checks meanwhile");

        var done = await Eventually.WaitAsync(RowsAsync, rows => rows.All(e => e.State.IsTerminal()), TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(1));
        Assert.False(worker.HasExited, "emailinfra run stopped after storage came back:\n" + worker.Output);
        worker.Interrupt();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var log = worker.Output;
        output.WriteLine(log);

        var unfinished = done.Where(e => !e.State.IsTerminal()).ToList();
        Assert.True(unfinished.Count == 0, string.Join("\n", unfinished.Take(5).Select(e => $"{e.Key.SendId} {e.State} {e.Reason}")));
        Assert.All(done, e => Assert.Equal(SendState.Sent, e.State));

        // one line when it went away, one when it came back: not a line per worker per poll. On a loaded machine the Azure
        // SDK's own retries (about 20 s) can ride out the whole outage, and then no job failed and nothing is logged.
        var unreachable = CountLines(log, "Storage unreachable");
        Assert.InRange(unreachable, 0, 1);
        Assert.Equal(unreachable, CountLines(log, "Storage answers again"));

        var ids = done.Select(e => e.MessageId!).ToList();
        Assert.Equal(200, ids.Distinct().Count());
        var delivered = await Eventually.WaitAsync(
            () => RigDeliveries.CountAsync(recipients, ids), c => c.Values.All(n => n >= 1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        var wrong = delivered.Where(d => d.Value != 1).ToList();
        Assert.True(wrong.Count == 0, string.Join(", ", wrong.Select(w => $"{w.Key} x{w.Value}")));
    }

    private static int CountLines(string log, string text) =>
        log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
}
