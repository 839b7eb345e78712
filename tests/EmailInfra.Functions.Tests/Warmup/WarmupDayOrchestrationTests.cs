using EmailInfra.Core.Jobs;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Testing;
using Microsoft.DurableTask.Client;

namespace EmailInfra.Functions.Tests.Warmup;

/// <summary>The warm-up day orchestration on the Durable Task engine, with its activities on the rig.</summary>
public class WarmupDayOrchestrationTests
{
    private static readonly string[] Network = [Rig.WarmupNetwork[0], Rig.WarmupNetwork[1], Rig.WarmupNetwork[2]];

    [Fact(Timeout = 120_000)]
    public async Task FullDay_PlansSendsPlacesRepliesAndGrowsTomorrowOnAGreenDay()
    {
        // pool-level policy overrides the base: start at 4 a day, every warm-up mail answered
        await using var h = await WarmupHarness.StartAsync(Network, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(25), new Dictionary<string, string?>
        {
            ["Warmup:Pools:warm:Ramp:StartVolume"] = "4",
            ["Warmup:Pools:warm:Ramp:ReplyRate"] = "1",
        });
        var sender = Network[0];
        var policy = h.Rig.Get<WarmupPolicies>().For(WarmupHarness.Pool, sender);
        Assert.True(await WarmupDayStarter.TryStartAsync(h.Host.Client, h.Input(sender), default));

        var planned = await h.PlannedAsync(sender);
        var expected = Ramp.VolumeOn(h.Day, 4, 0, policy);
        Assert.Equal(expected, planned.Count);
        Assert.All(planned, r =>
        {
            Assert.Equal(SendKind.Warmup, r.Kind);
            Assert.NotEqual(sender, r.Recipient);
            Assert.NotNull(r.ReplyAfter);
        });

        // the queued jobs become visible at their planned times; SendEmail sends each
        for (var i = 0; i < planned.Count; i++)
        {
            await FunctionDriver.RunSendAsync(h.Rig);
        }

        var sent = await h.RowsAsync(sender);
        Assert.All(sent, r => Assert.Equal(SendState.Sent, r.State));

        // each peer's poll finds the mail in its inbox and schedules the planned in-thread answer; SendEmail sends it
        foreach (var peer in planned.Select(r => r.Recipient).Distinct())
        {
            await FunctionDriver.PollAsync(h.Rig, peer, WarmupHarness.Pool);
        }

        for (var i = 0; i < planned.Count; i++)
        {
            await FunctionDriver.RunSendAsync(h.Rig);
        }

        await FunctionDriver.PollAsync(h.Rig, sender, WarmupHarness.Pool);

        var done = await h.Host.Client.WaitForInstanceCompletionAsync(h.Input(sender).InstanceId, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<WarmupDayResult>()!;
        Assert.Equal(expected, result.Planned);
        Assert.Equal(expected, result.Sent);
        Assert.Equal(DayHealth.Green, result.Health);
        Assert.Equal(Ramp.NextVolume(4, DayHealth.Green, false, policy, h.Day), result.NextVolume);

        var record = (await h.Rig.Get<IWarmupJournal>().GetAsync(sender, h.Day, default))!;
        Assert.Equal(expected, record.PlacedInbox);
        Assert.Equal(expected, record.Replies);
        Assert.Equal(Ramp.NextVolume(4, DayHealth.Green, false, policy, h.Day), record.NextVolume);

        // every warm-up email and every answer arrived exactly once
        var counts = await RigDeliveries.CountAsync(Network, sent.Select(r => r.MessageId!).ToList());
        Assert.All(counts.Values, n => Assert.Equal(1, n));
    }

    [Fact(Timeout = 120_000)]
    public async Task PauseThenResume_HoldsTheSendsNotYetMade_ThenSendsEachOnce()
    {
        await using var h = await WarmupHarness.StartAsync(Network, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(4), new Dictionary<string, string?>
        {
            ["Warmup:Pools:warm:Ramp:StartVolume"] = "8",
        });
        var sender = Network[1];
        var id = h.Input(sender).InstanceId;
        Assert.True(await WarmupDayStarter.TryStartAsync(h.Host.Client, h.Input(sender), default));
        var planned = await h.PlannedAsync(sender);
        Assert.True(planned.Count >= 2);

        await h.Host.Client.RaiseEventAsync(id, WarmupDayOrchestrator.ControlEvent, WarmupControlAction.Pause);
        var held = await Eventually.WaitAsync(() => h.RowsAsync(sender), rows => rows.All(r => r.State == SendState.Held), TimeSpan.FromSeconds(15));
        Assert.All(held, r => Assert.Equal(SendState.Held, r.State));

        // a held send's job comes due and sends nothing
        var job = SendJob.Parse(await RigQueues.ReceiveAsync(h.Rig, QueueNames.SendJobs));
        Assert.Equal(SendJobResult.Held, await h.Rig.Get<SendHandler>().HandleAsync(job, default));
        Assert.Equal(0, (await h.Rig.Get<IMetricsStore>().GetAsync(sender, h.Day, default))[MailboxMetric.Sent]);

        await h.Host.Client.RaiseEventAsync(id, WarmupDayOrchestrator.ControlEvent, WarmupControlAction.Resume);
        await Eventually.WaitAsync(() => h.RowsAsync(sender), rows => rows.All(r => r.State == SendState.Planned), TimeSpan.FromSeconds(15));

        // old jobs and the resume's new ones both arrive; each row is sent once
        var handler = h.Rig.Get<SendHandler>();
        var rowsNow = await Eventually.WaitAsync(
            async () =>
            {
                var queue = await h.Rig.Get<EmailInfra.Infrastructure.Storage.StorageClients>().QueueAsync(QueueNames.SendJobs, default);
                foreach (var m in (await queue.ReceiveMessagesAsync(16)).Value)
                {
                    await handler.HandleAsync(SendJob.Parse(m.MessageText), default);
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                }

                return await h.RowsAsync(sender);
            },
            rows => rows.All(r => r.State == SendState.Sent),
            TimeSpan.FromSeconds(40));
        Assert.All(rowsNow, r => Assert.Equal(SendState.Sent, r.State));
        Assert.Equal(planned.Count, (await h.Rig.Get<IMetricsStore>().GetAsync(sender, h.Day, default))[MailboxMetric.Sent]);
        var counts = await RigDeliveries.CountAsync(Network, rowsNow.Select(r => r.MessageId!).ToList());
        Assert.All(counts.Values, n => Assert.Equal(1, n));

        var done = await h.Host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.Equal(planned.Count, done.ReadOutputAs<WarmupDayResult>()!.Sent);
    }

    [Fact(Timeout = 120_000)]
    public async Task Stop_CancelsTheRestAndSummarisesAtOnce_HoldingTheVolume()
    {
        await using var h = await WarmupHarness.StartAsync(Network, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        var sender = Network[2];
        var id = h.Input(sender).InstanceId;
        Assert.True(await WarmupDayStarter.TryStartAsync(h.Host.Client, h.Input(sender), default));
        await h.PlannedAsync(sender);

        await h.Host.Client.RaiseEventAsync(id, WarmupDayOrchestrator.ControlEvent, WarmupControlAction.Stop);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // well before the 60 s summary time
        var done = await h.Host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        var result = done.ReadOutputAs<WarmupDayResult>()!;
        Assert.Equal("stopped", result.Outcome);
        Assert.Equal(result.BaseVolume, result.NextVolume);
        Assert.All(await h.RowsAsync(sender), r => Assert.Equal(SendState.Cancelled, r.State));
    }

    [Fact(Timeout = 60_000)]
    public async Task SecondStart_ForTheSameMailboxAndDate_IsRefused()
    {
        // the window must still be open when the timer's passes below run: the harness's set-up (mailboxes, test
        // host) eats into it, and took more than a second on a loaded machine
        await using var h = await WarmupHarness.StartAsync(Network, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1));
        var input = h.Input(Network[0]);
        Assert.True(await WarmupDayStarter.TryStartAsync(h.Host.Client, input, default));
        Assert.False(await WarmupDayStarter.TryStartAsync(h.Host.Client, input, default));

        // the timer's pass starts the two other mailboxes and nothing twice; a second pass starts nothing
        var starter = h.Rig.Get<WarmupDayStarter>();
        Assert.Equal(new WarmupStartSummary(2, 1, 0), await starter.StartDueAsync(h.Host.Client, default));
        Assert.Equal(new WarmupStartSummary(0, 3, 0), await starter.StartDueAsync(h.Host.Client, default));

        // a finished day is not run again either
        await h.Host.Client.WaitForInstanceCompletionAsync(input.InstanceId);
        Assert.False(await WarmupDayStarter.TryStartAsync(h.Host.Client, input, default));
        var plans = await h.RowsAsync(Network[0]);
        Assert.Equal(plans.Count, plans.Select(r => r.Key.SendId).Distinct().Count());
    }

    [Theory(Timeout = 60_000)]
    [InlineData(20, 0, 0, DayHealth.Green, 12)] // 10 grown by one increment, or held when tomorrow is a weekend day
    [InlineData(17, 3, 0, DayHealth.Amber, 10)]
    [InlineData(20, 0, 2, DayHealth.Red, 5)]
    public async Task RampDecision_GrowsOnGreen_HoldsOnAmber_StepsBackOnRed(int inbox, int junk, int hardBounces, DayHealth health, int next)
    {
        // The plan fits only what is left of the window when the day starts late: with gaps of 0.1 s the 10 sends fit even
        // when the harness took 7 of the window's 8 seconds to start on a loaded machine (0.5 s gaps once planned 9 of 10).
        await using var h = await WarmupHarness.StartAsync(
            Network, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(4), new Dictionary<string, string?> { ["Warmup:MinimumGap"] = "00:00:00.100" });
        var sender = Network[0];
        var journal = h.Rig.Get<IWarmupJournal>();
        await journal.UpsertAsync(new WarmupDayRecord { Mailbox = sender, Day = h.Day.AddDays(-1), BaseVolume = 8, Planned = 8, Outcome = "completed", NextVolume = 10 }, default);
        Assert.True(await WarmupDayStarter.TryStartAsync(h.Host.Client, h.Input(sender), default));
        var planned = await h.PlannedAsync(sender);
        Assert.Equal(Ramp.VolumeOn(h.Day, 10, 0, h.Rig.Get<WarmupPolicies>().For(WarmupHarness.Pool, sender)), planned.Count);

        // the day's signals, as the send handler and the pollers would have counted them
        var metrics = h.Rig.Get<IMetricsStore>();
        for (var i = 0; i < 20; i++)
        {
            await metrics.CountOnceAsync(sender, h.Day, MailboxMetric.Sent, $"sent|{i}", default);
            var placement = i < inbox ? MailboxMetric.PlacedInbox : i < inbox + junk ? MailboxMetric.PlacedJunk : (MailboxMetric?)null;
            if (placement is { } p)
            {
                await metrics.CountOnceAsync(sender, h.Day, p, $"placement|{i}", default);
            }

            if (i < hardBounces)
            {
                await metrics.CountOnceAsync(sender, h.Day, MailboxMetric.HardBounces, $"bounce|{i}", default);
            }
        }

        var done = await h.Host.Client.WaitForInstanceCompletionAsync(h.Input(sender).InstanceId, getInputsAndOutputs: true);
        var result = done.ReadOutputAs<WarmupDayResult>()!;
        Assert.Equal(health, result.Health);
        Assert.Equal(10, result.BaseVolume);
        if (health == DayHealth.Green && Ramp.IsWeekend(h.Day.AddDays(1)))
        {
            next = 10;
        }

        Assert.Equal(next, result.NextVolume);
        Assert.Equal(next, (await journal.GetAsync(sender, h.Day, default))!.NextVolume);
    }
}
