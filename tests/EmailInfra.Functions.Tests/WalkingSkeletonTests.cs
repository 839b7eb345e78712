using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Functions.Queues;
using EmailInfra.Functions.Timers;
using EmailInfra.Infrastructure.Storage;
using EmailInfra.Testing;
using MailKit.Search;

namespace EmailInfra.Functions.Tests;

/// <summary>
/// One warm-up email end to end through the function classes, against real Azurite, Postfix and Dovecot:
/// register, send, poll, count, and a real DSN linked back to its ledger row.
/// </summary>
public class WalkingSkeletonTests
{
    private const string Alice = "alice@alpha.test";
    private const string Carol = "carol@beta.test";
    private const string Bob = "bob@alpha.test";

    [Fact(Timeout = 120_000)]
    public async Task WarmupEmail_SentPolledPlacedAndCounted_UnknownUserBounceLinkedToLedger()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        var ledger = rig.Get<ISendLedger>();
        var metrics = rig.Get<IMetricsStore>();

        // 1. two mailboxes on different domains
        await rig.RegisterRigMailboxAsync(Alice);
        await rig.RegisterRigMailboxAsync(Carol);
        Assert.Equal([Alice, Carol], (await rig.Get<IMailboxStore>().ListPoolAsync("rig", default)).Select(m => m.Address).Order().ToArray());

        // 2. a send job through the queue-triggered function: planned -> sent with Message-ID and reply
        var planned = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, Carol, SendKind.Warmup), default);
        Assert.Equal(SendState.Planned, planned.State);
        await FunctionDriver.RunSendAsync(rig);
        var sent = (await ledger.GetAsync(planned.Key, default))!;
        Assert.Equal(SendState.Sent, sent.State);
        Assert.EndsWith("@alpha.test", sent.MessageId, StringComparison.Ordinal);
        Assert.StartsWith("250 ", sent.SmtpReply, StringComparison.Ordinal);

        // 3. the poll (fanned out by the timer function) finds it in carol's INBOX as a peer's warm-up mail
        Assert.NotNull(await RigMail.WaitForAsync(Carol, SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));
        await RunPollsAsync(rig, expectedJobs: 2);

        // 4. the day's metrics
        var day = planned.Key.Day;
        Assert.Equal(1, (await metrics.GetAsync(Alice, day, default))[MailboxMetric.Sent]);
        Assert.Equal(1, (await metrics.GetAsync(Alice, day, default))[MailboxMetric.PlacedInbox]);
        Assert.Equal(1, (await metrics.GetAsync(Carol, Today(), default))[MailboxMetric.ReceivedInbox]);

        // 5. an unknown user at the relayed domain: Postfix accepts, the remote MX refuses, a real DSN comes back
        var doomed = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, "nobody@remote.test", SendKind.Warmup), default);
        await FunctionDriver.RunSendAsync(rig);
        var doomedSent = (await ledger.GetAsync(doomed.Key, default))!;
        Assert.Equal(SendState.Sent, doomedSent.State);
        var dsn = await RigMail.WaitForAsync(Alice, SearchQuery.FromContains("MAILER-DAEMON").And(SearchQuery.MessageContains(doomedSent.MessageId!)));
        Assert.NotNull(dsn);
        Assert.Equal("multipart/report", dsn!.Body!.ContentType.MimeType);

        await new PollMailboxFunction(rig.Get<PollHandler>()).PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Alice)), default);
        var bounced = (await ledger.GetAsync(doomed.Key, default))!;
        Assert.Equal(SendState.Bounced, bounced.State);
        Assert.Equal("5.1.1", bounced.BounceStatus);
        Assert.Contains("User unknown", bounced.BounceDiagnostic, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await metrics.GetAsync(Alice, doomed.Key.Day, default))[MailboxMetric.HardBounces]);
        Assert.True(await rig.Get<ISuppressionList>().IsSuppressedAsync("nobody@remote.test", default));
    }

    [Fact(Timeout = 120_000)]
    public async Task WarmupEmail_FoundInJunk_RecordedAsJunkPlacementAndRescued()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        var (entry, id) = await SendAndDeliverAsync(rig, Alice, Bob);

        // the receiving side's filter puts it in Junk
        Assert.Equal(1, await RigMail.MoveAsync(Bob, SearchQuery.HeaderContains("Message-ID", id), "INBOX", "Junk"));
        await new PollMailboxFunction(rig.Get<PollHandler>()).PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Bob)), default);

        var metrics = rig.Get<IMetricsStore>();
        Assert.Equal(1, (await metrics.GetAsync(Bob, Today(), default))[MailboxMetric.ReceivedJunk]);
        Assert.Equal(0, (await metrics.GetAsync(Bob, Today(), default))[MailboxMetric.ReceivedInbox]);
        Assert.Equal(1, (await metrics.GetAsync(Alice, entry.Key.Day, default))[MailboxMetric.PlacedJunk]);

        // rescued: out of Junk into INBOX, read, marked not-junk
        Assert.Empty(await RigMail.FindAsync(Bob, SearchQuery.HeaderContains("Message-ID", id), "Junk"));
        Assert.Single(await RigMail.FindAsync(Bob, SearchQuery.HeaderContains("Message-ID", id).And(SearchQuery.Seen).And(SearchQuery.HasKeyword("$NotJunk"))));
        Assert.Equal(1, (await metrics.GetAsync(Bob, Today(), default))[MailboxMetric.Rescued]);

        // the next poll meets it again in INBOX: its placement stays counted once, as junk
        await new PollMailboxFunction(rig.Get<PollHandler>()).PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Bob)), default);
        Assert.Equal(1, (await metrics.GetAsync(Bob, Today(), default))[MailboxMetric.ReceivedJunk]);
        Assert.Equal(0, (await metrics.GetAsync(Bob, Today(), default))[MailboxMetric.ReceivedInbox]);
        Assert.Equal(1, (await metrics.GetAsync(Alice, entry.Key.Day, default))[MailboxMetric.PlacedJunk]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Poll_RepeatedAfterLostSyncState_CountsNothingTwice()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        await SendAndDeliverAsync(rig, Alice, Carol);

        var poll = new PollMailboxFunction(rig.Get<PollHandler>());
        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Carol)), default);

        // a crash before the sync state was saved: the next poll sees the same messages again
        var sync = rig.Get<ISyncStateStore>();
        var state = (await sync.GetAsync(Carol, FolderRole.Inbox, default))!;
        await sync.SaveAsync(state with { LastUid = 0 }, default);
        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Carol)), default);
        // and a changed UIDVALIDITY forces a full resync
        await sync.SaveAsync(state with { UidValidity = state.UidValidity + 1 }, default);
        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", Carol)), default);

        Assert.Equal(1, (await rig.Get<IMetricsStore>().GetAsync(Carol, Today(), default))[MailboxMetric.ReceivedInbox]);
        Assert.Equal(state.UidValidity, (await sync.GetAsync(Carol, FolderRole.Inbox, default))!.UidValidity);
    }

    [Fact(Timeout = 60_000)]
    public async Task SendJob_Redelivered_NeverSendsTwice()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync(Alice);
        await rig.RegisterRigMailboxAsync(Carol);
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, Carol, SendKind.Warmup), default);
        var message = await RigQueues.ReceiveAsync(rig, QueueNames.SendJobs);
        var handler = rig.Get<SendHandler>();

        // the same job delivered three times, twice concurrently
        var results = await Task.WhenAll(handler.HandleAsync(message, 1, default), handler.HandleAsync(message, 1, default));
        var third = await handler.HandleAsync(message, 1, default);

        Assert.Equal(1, results.Count(r => r == SendJobResult.Sent));
        Assert.Equal(SendJobResult.AlreadyDone, third);
        var id = (await rig.Get<ISendLedger>().GetAsync(entry.Key, default))!.MessageId!;
        await RigMail.WaitUntilDeliveredAsync(Carol);
        Assert.Single(await RigMail.FindAsync(Carol, SearchQuery.HeaderContains("Message-ID", id)));
        Assert.Equal(1, (await rig.Get<IMetricsStore>().GetAsync(Alice, entry.Key.Day, default))[MailboxMetric.Sent]);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendFunction_MalformedMessage_ThrowsSoTheHostRetriesThenPoisons()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var function = new SendEmailFunction(rig.Get<SendHandler>());
        await Assert.ThrowsAsync<MalformedJobException>(() => function.SendEmail("{\"v\":9}", null!, default));
    }

    /// <summary>Registers both rig mailboxes, sends one warm-up email through the send function, waits for its delivery.</summary>
    private static async Task<(LedgerEntry Entry, string MessageId)> SendAndDeliverAsync(RigServices rig, string from, string to)
    {
        await rig.RegisterRigMailboxAsync(from);
        await rig.RegisterRigMailboxAsync(to);
        var entry = await FunctionDriver.SendAsync(rig, new SendRequest(from, to, SendKind.Warmup));
        var id = entry.MessageId!;
        Assert.NotNull(await RigMail.WaitForAsync(to, SearchQuery.HeaderContains("Message-ID", id)));
        return (entry, id);
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);


    private static async Task RunPollsAsync(RigServices rig, int expectedJobs)
    {
        await new SchedulePollsFunction(rig.Get<PollFanout>()).SchedulePolls(new Microsoft.Azure.Functions.Worker.TimerInfo(), default);
        var poll = new PollMailboxFunction(rig.Get<PollHandler>());
        for (var i = 0; i < expectedJobs; i++)
        {
            await poll.PollMailbox(await RigQueues.ReceiveAsync(rig, QueueNames.PollJobs), default);
        }
    }
}
