using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Sending;

/// <summary>The send worker killed with SIGKILL at random points: every email still arrives exactly once.</summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    [Fact(Timeout = 420_000)]
    public async Task TwoHundredSends_WorkerKilledAtRandomTwelveTimes_EachDeliveredExactlyOnce()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        var senders = Rig.Numbered.Take(10).ToList();
        var recipients = Rig.Numbered.Skip(10).Take(10).ToList();
        foreach (var address in senders.Concat(recipients))
        {
            await rig.RegisterRigMailboxAsync(address, poolId: "crash");
        }

        var planned = new List<LedgerEntry>();
        for (var i = 0; i < 200; i++)
        {
            planned.Add(await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(senders[i % 10], recipients[(i * 7 + i / 10) % 10], SendKind.Warmup), default));
        }

        var ledger = rig.Get<ISendLedger>();
        async Task<List<LedgerEntry>> RowsAsync() =>
            (await Task.WhenAll(senders.Select(s => ledger.ListDayAsync(s, planned[0].Key.Day, default)))).SelectMany(r => r).ToList();

        var seed = System.Environment.TickCount;
        var random = new Random(seed);
        var kills = 0;
        var killedWhileBusy = 0;
        for (var round = 0; round < 40 && kills < 12; round++)
        {
            using var worker = EmailInfraProcess.Start(Environment(rig), null, "run");
            var atStart = (await RowsAsync()).Count(e => e.State == SendState.Sent);
            if (atStart == 200)
            {
                break;
            }

            // wait until this worker is visibly sending, then kill it at a random point within the next moments
            var progressing = await Eventually.WaitAsync(
                async () => (await RowsAsync()).Count(e => e.State == SendState.Sent), n => n > atStart, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 400)));
            worker.KillHard();
            Assert.NotNull(await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            kills++;
            var after = (await RowsAsync()).Count(e => e.State == SendState.Sent);
            if (progressing > atStart && after < 200)
            {
                killedWhileBusy++;
            }

            output.WriteLine($"round {round}: sent {after}/200 at the kill");
        }

        // a last worker finishes what is left
        using (var last = EmailInfraProcess.Start(Environment(rig), null, "run"))
        {
            var done = await Eventually.WaitAsync(RowsAsync, rows => rows.All(e => e.State == SendState.Sent), TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));
            last.Interrupt();
            await last.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(done.All(e => e.State == SendState.Sent), string.Join("\n", done.Where(e => e.State != SendState.Sent).Take(5).Select(e => $"{e.Key.SendId} {e.State} {e.Reason} {e.SmtpReply}")) + "\n" + last.Output);
        }

        output.WriteLine($"seed {seed}: {kills} kills, {killedWhileBusy} while sends were completing");
        Assert.True(killedWhileBusy >= 10, $"only {killedWhileBusy} of {kills} kills landed while sending");

        var final = await RowsAsync();
        output.WriteLine($"{final.Count(e => e.Reason?.StartsWith("found in", StringComparison.Ordinal) == true)} rows recovered by Message-ID lookup, {final.Count(e => e.Attempts > 1)} sent again after a lookup found nothing");
        var ids = final.Select(e => e.MessageId!).ToList();
        Assert.Equal(200, ids.Distinct().Count());
        var delivered = await Eventually.WaitAsync(
            () => RigDeliveries.CountAsync(recipients, ids), c => c.Values.All(n => n >= 1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        var wrong = delivered.Where(d => d.Value != 1).ToList();
        Assert.True(wrong.Count == 0, string.Join(", ", wrong.Select(w => $"{w.Key} x{w.Value}")));
    }

    private static Dictionary<string, string?> Environment(RigServices rig) => CliEnvironment.For(rig, new Dictionary<string, string?>
    {
        ["Sending__SendingLease"] = "00:00:10",
        ["Sending__SendDeadline"] = "00:00:05",
        ["Sending__RetryBaseDelay"] = "00:00:01",
        ["LocalQueues__Lease"] = "00:00:04",
        ["LocalQueues__Concurrency"] = "1",
        ["LocalQueues__RetryVisibility"] = "00:00:01",
        ["LocalQueues__MaxPollingInterval"] = "00:00:00.200",
        ["Logging__LogLevel__Default"] = "Warning",
    });
}
