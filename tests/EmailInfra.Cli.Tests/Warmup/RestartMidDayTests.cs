using System.Globalization;
using Azure.Data.Tables;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Warmup;

/// <summary>
/// Local mode's warm-up engine keeps its history in storage: `emailinfra run` killed (SIGKILL) in the middle of a day and
/// started again continues the same day orchestrations from their history, and every planned email arrives exactly once.
/// </summary>
public class RestartMidDayTests(ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task KilledMidDay_StartedAgain_TheSameDaysContinueFromTheirHistory_NoEmailTwice()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var network = Rig.WarmupNetwork.Skip(3).Take(3).ToList();
        var epoch = DateTimeOffset.UtcNow.AddSeconds(2);
        var warmup = new Dictionary<string, string?>
        {
            ["Warmup:DayLength"] = "00:10:00",
            ["Warmup:Epoch"] = epoch.ToString("O", CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:00",
            ["Warmup:WindowLength"] = "00:00:40",
            ["Warmup:SettleTime"] = "00:00:10",
            ["Warmup:MinimumGap"] = "00:00:04",
            ["Warmup:ReplyDelayMin"] = "00:00:00",
            ["Warmup:ReplyDelayMax"] = "00:00:02",
        };
        await using var rig = new RigServices(warmup);
        foreach (var address in network)
        {
            await rig.RegisterRigMailboxAsync(address, "restart");
        }

        var environment = warmup.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        environment["WarmupSchedule"] = "*/2 * * * * *";
        environment["PollSchedule"] = "*/2 * * * * *";
        environment["Polling__Interval"] = "00:00:02";
        var env = CliEnvironment.For(rig, environment);
        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync("restart", default))!;
        var day = rig.Get<SendingCalendar>().DayOf(epoch + TimeSpan.FromSeconds(1), pool);
        var ledger = rig.Get<ISendLedger>();
        var journal = rig.Get<IWarmupJournal>();

        async Task<List<LedgerEntry>> RowsAsync() => (await Task.WhenAll(network.Select(m => ledger.ListDayAsync(m, day, default)))).SelectMany(r => r).ToList();

        DateTimeOffset killedAt;
        int sentBefore, plannedBefore;
        using (var first = EmailInfraProcess.Start(env, null, "run"))
        {
            // wait until the days are planned and some of their emails have gone, but not all
            var rows = await Eventually.WaitAsync(RowsAsync, r => r.Count(x => x.State == SendState.Sent) >= 2, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
            first.KillHard();
            killedAt = DateTimeOffset.UtcNow;
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            sentBefore = rows.Count(x => x.State == SendState.Sent);
            plannedBefore = rows.Count(x => x.Kind == SendKind.Warmup);
            Assert.True(sentBefore < rows.Count, $"the kill came too late to test anything: all {rows.Count} rows sent\n{first.Output}");
            output.WriteLine($"killed at {killedAt:HH:mm:ss.fff} with {sentBefore} of {rows.Count} rows sent");
        }

        using (var second = EmailInfraProcess.Start(env, null, "run"))
        {
            // summarised (the last activity) and the orchestrations completed (their last checkpoint)
            var instances = new TableServiceClient(Rig.StorageConnectionString).GetTableClient("EmailInfra" + rig.Prefix + "Instances");
            var done = await Eventually.WaitAsync(
                async () =>
                {
                    var summarised = (await Task.WhenAll(network.Select(m => journal.GetAsync(m, day, default)))).Count(r => r?.NextVolume is not null);
                    var completed = 0;
                    foreach (var mailbox in network)
                    {
                        var row = await instances.GetEntityIfExistsAsync<TableEntity>(new WarmupDayInput(mailbox, "restart", day).InstanceId, string.Empty);
                        completed += row.HasValue && row.Value!.GetString("RuntimeStatus") == "Completed" ? 1 : 0;
                    }

                    return Math.Min(summarised, completed);
                },
                n => n == network.Count,
                TimeSpan.FromSeconds(120),
                TimeSpan.FromSeconds(1));
            second.Interrupt();
            await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(done == network.Count, $"only {done} of {network.Count} days were summarised after the restart\n{second.Output}");
        }

        // every planned email and reply was sent, and arrived exactly once
        var all = await RowsAsync();
        Assert.Equal(plannedBefore, all.Count(r => r.Kind == SendKind.Warmup)); // nothing planned again
        Assert.All(all, r => Assert.Equal(SendState.Sent, r.State));
        var delivered = await RigDeliveries.CountAsync(network, all.Select(r => r.MessageId!).ToList());
        Assert.All(delivered, d => Assert.True(d.Value == 1, $"{d.Key} arrived {d.Value} times"));
        Assert.All(await Task.WhenAll(network.Select(m => journal.GetAsync(m, day, default))), r => Assert.Equal("completed", r!.Outcome));

        // the days are the same orchestration instances, created before the kill and completed after it: continued, not started again
        var hub = new TableServiceClient(Rig.StorageConnectionString).GetTableClient("EmailInfra" + rig.Prefix + "Instances");
        foreach (var mailbox in network)
        {
            var id = new WarmupDayInput(mailbox, "restart", day).InstanceId;
            var row = await hub.GetEntityAsync<TableEntity>(id, string.Empty);
            Assert.Equal("Completed", row.Value.GetString("RuntimeStatus"));
            Assert.True(row.Value.GetDateTimeOffset("CreatedTime") < killedAt, $"{id} was created again after the restart");
        }
    }
}
