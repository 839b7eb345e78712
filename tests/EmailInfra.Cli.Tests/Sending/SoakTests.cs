using System.Diagnostics;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Sending;

/// <summary>
/// The soak of the engine's promises: 1,000 sends over 20 mailboxes while the worker is killed with SIGKILL at least 20
/// times, storage is restarted once and IMAP (Dovecot) once. Every Message-ID arrives exactly once and every row ends
/// in a terminal state. The figures it prints are the ones in the README.
/// </summary>
[Collection(RigRestartsCollection.Name)]
public class SoakTests(ITestOutputHelper output)
{
    private const int Sends = 1000;
    private const int Kills = 20;

    [Fact(Timeout = 1_500_000)]
    public async Task ThousandSends_TwentyKills_AzuriteAndDovecotRestarted_EachDeliveredOnce_NothingLeftUnfinished()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var clock = Stopwatch.StartNew();
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var rig = new RigServices(new Dictionary<string, string?> { ["EmailInfraStorage"] = azurite.ConnectionString });
        var mailboxes = Rig.Numbered.Take(20).ToList();
        foreach (var address in mailboxes)
        {
            await rig.RegisterRigMailboxAsync(address, poolId: "soak");
        }

        // every mailbox sends to the other nineteen: recipients are ours, so every outcome can be looked up
        var planned = new List<LedgerEntry>();
        var scheduler = rig.Get<SendScheduler>();
        for (var i = 0; i < Sends; i++)
        {
            var from = i % 20;
            var to = (from + 1 + (i / 20 % 19)) % 20;
            planned.Add(await scheduler.ScheduleAsync(new SendRequest(mailboxes[from], mailboxes[to], SendKind.Warmup), default));
        }

        var ledger = rig.Get<ISendLedger>();
        async Task<List<LedgerEntry>> RowsAsync() =>
            (await Task.WhenAll(mailboxes.Select(s => ledger.ListDayAsync(s, planned[0].Key.Day, default)))).SelectMany(r => r).ToList();
        async Task<int> SentAsync()
        {
            try
            {
                return (await RowsAsync()).Count(e => e.State == SendState.Sent);
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
            {
                return -1; // storage is down: no figure now
            }
        }

        var seed = System.Environment.TickCount;
        var random = new Random(seed);
        var kills = 0;
        var azuriteRestarted = false;
        var dovecotRestarted = false;
        var restarts = new List<string>();
        for (var round = 0; round < 200 && kills < Kills; round++)
        {
            using var worker = EmailInfraProcess.Start(Environment(rig), null, "run");
            var atStart = await SentAsync();
            if (atStart == Sends)
            {
                break;
            }

            if (kills == 6 && !azuriteRestarted)
            {
                // storage goes away under a running worker and comes back on the same data
                await Eventually.WaitAsync(SentAsync, n => n > atStart, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
                await azurite.StopAsync();
                await Task.Delay(TimeSpan.FromSeconds(8));
                await azurite.StartAgainAsync();
                azuriteRestarted = true;
                restarts.Add($"Azurite restarted (8 s down) at {await SentAsync()} sent");
                Assert.False(worker.HasExited, "the worker stopped during the storage restart:\n" + worker.Output);
            }

            if (kills == 13 && !dovecotRestarted)
            {
                // IMAP (and LMTP, and SASL for submission) goes away: Sent copies and lookups wait, nothing is sent twice
                await Eventually.WaitAsync(SentAsync, n => n > atStart, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
                await RigRestarts.RestartDovecotAsync(TimeSpan.FromSeconds(5));
                dovecotRestarted = true;
                restarts.Add($"Dovecot restarted (5 s down) at {await SentAsync()} sent");
            }

            // kill it at a random moment once it is visibly sending
            var now = await SentAsync();
            await Eventually.WaitAsync(SentAsync, n => n > now + random.Next(5, 30) || n == Sends, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
            await Task.Delay(random.Next(0, 400));
            worker.KillHard();
            Assert.NotNull(await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            kills++;
            output.WriteLine($"kill {kills}: {await SentAsync()}/{Sends} sent");
        }

        // a last worker finishes what is left, the sweeper running as it does in production
        List<LedgerEntry> done;
        using (var last = EmailInfraProcess.Start(Environment(rig, sweep: true), null, "run"))
        {
            done = await Eventually.WaitAsync(RowsAsync, rows => rows.All(e => e.State.IsTerminal() && e.SentCopy is not SentCopyState.Pending), TimeSpan.FromMinutes(8), TimeSpan.FromSeconds(2));
            last.Interrupt();
            await last.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var ids = done.Select(e => e.MessageId!).ToList();
        var delivered = await Eventually.WaitAsync(
            () => RigDeliveries.CountAsync(mailboxes, ids), c => c.Values.All(n => n >= 1), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(3));

        var byState = done.GroupBy(e => e.State).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        var once = delivered.Count(d => d.Value == 1);
        var twice = delivered.Count(d => d.Value > 1);
        var missing = delivered.Count(d => d.Value == 0);
        output.WriteLine($"seed {seed}; {kills} SIGKILLs; {string.Join("; ", restarts)}");
        output.WriteLine($"rows: {done.Count} ({string.Join(", ", byState)}); {done.Count(e => e.Reason?.StartsWith("found in", StringComparison.Ordinal) == true)} decided by a Message-ID lookup after a kill");
        output.WriteLine($"Sent copies: {done.Count(e => e.SentCopy == SentCopyState.Stored)} stored, {done.Count(e => e.SentCopy == SentCopyState.Abandoned)} abandoned");
        output.WriteLine($"deliveries: {once} exactly once, {twice} more than once, {missing} missing; {clock.Elapsed.TotalMinutes:F1} min in all");
        foreach (var odd in done.Where(e => e.State != SendState.Sent).Take(5))
        {
            output.WriteLine($"not sent: {odd.Key.Mailbox}/{odd.Key.SendId} {odd.State}: {odd.Reason} {odd.SmtpReply}");
        }

        Assert.True(kills >= Kills, $"only {kills} kills");
        Assert.True(azuriteRestarted && dovecotRestarted, "a restart did not happen");
        Assert.Equal(Sends, done.Count);
        Assert.All(done, e => Assert.True(e.State.IsTerminal(), $"{e.Key.SendId} left {e.State}"));
        Assert.Equal(Sends, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(twice == 0 && missing == 0, string.Join(", ", delivered.Where(d => d.Value != 1).Take(10).Select(w => $"{w.Key} x{w.Value}")));
        Assert.All(done, e => Assert.Equal(SendState.Sent, e.State));
    }

    private static Dictionary<string, string?> Environment(RigServices rig, bool sweep = false) => CliEnvironment.For(rig, new Dictionary<string, string?>
    {
        ["Sending__SendingLease"] = "00:00:10",
        ["Sending__SendDeadline"] = "00:00:05",
        ["Sending__RetryBaseDelay"] = "00:00:01",
        ["Sending__StrandedAfter"] = "00:00:30",
        ["LocalQueues__Lease"] = "00:00:04",
        ["LocalQueues__Concurrency"] = "4",
        ["LocalQueues__RetryVisibility"] = "00:00:01",
        ["LocalQueues__MaxPollingInterval"] = "00:00:00.200",
        ["Logging__LogLevel__Default"] = "Warning",
        ["SweepSchedule"] = sweep ? "*/20 * * * * *" : "0 0 0 1 1 *",
    });
}
