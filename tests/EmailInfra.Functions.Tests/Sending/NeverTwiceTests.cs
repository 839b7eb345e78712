using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MailKit.Search;

namespace EmailInfra.Functions.Tests.Sending;

/// <summary>
/// "Never twice, never lost" under the faults that break it: IMAP gone right after SMTP acceptance, a send slower than its
/// lease, a connection dropped after DATA. Real Postfix, Dovecot, Knot and Azurite; the faults come from a TCP proxy in front
/// of the rig's submission port, or from a port where nothing listens.
/// </summary>
public class NeverTwiceTests
{
    private const string Alice = "alice@alpha.test";

    // ok@remote.test is accepted by the rig's fake remote MX and filed into sink@gamma.test: a recipient that is not one of ours
    private const string External = "ok@remote.test";
    private const string ExternalLandsIn = "sink@gamma.test";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private static RigServices NewRig() => new(new Dictionary<string, string?>
    {
        ["MailTransport:ReuseConnections"] = "false",
        ["MailTransport:PlaintextAllowedHosts:0"] = Rig.Host,
        ["Sending:SendingLease"] = "00:00:10",
        ["Sending:SendDeadline"] = "00:00:05",
    });

    private static MailServerEndpoint Through(SmtpFaultProxy proxy) => new(Rig.Host, proxy.Port, TlsMode.None);

    private static Task<SendJobResult> HandleAsync(RigServices rig, LedgerEntry entry) => rig.Get<SendHandler>().HandleAsync(SendJob.For(entry.Key), default);

    private static async Task<LedgerEntry> RowAsync(RigServices rig, LedgerEntry entry) => (await rig.Get<ISendLedger>().GetAsync(entry.Key, default))!;

    /// <summary>Runs the row's job as the queue would redeliver it until the row is settled.</summary>
    private static async Task<LedgerEntry> SettleAsync(RigServices rig, LedgerEntry entry, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var row = await RowAsync(rig, entry);
            if (row.State.IsTerminal() || DateTime.UtcNow > until)
            {
                return row;
            }

            await HandleAsync(rig, row);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task ImapRefusingRightAfterSmtpAcceptance_RowSent_OneDelivery_CopyStoredOnceImapAnswers()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = NewRig();
        await rig.RegisterRigMailboxAsync(Alice, imap: new MailServerEndpoint(Rig.Host, LoopbackPorts.Free(), TlsMode.None));
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, External, SendKind.Warmup), default);

        Assert.Equal(SendJobResult.Sent, await HandleAsync(rig, entry));
        var sent = await RowAsync(rig, entry);
        Assert.Equal(SendState.Sent, sent.State);
        Assert.Equal(SentCopyState.Pending, sent.SentCopy);
        Assert.Contains("Sent copy pending", sent.Reason, StringComparison.Ordinal);

        // the queue redelivers while IMAP still refuses: nothing is sent again
        Assert.Equal(SendJobResult.AlreadyDone, await HandleAsync(rig, entry));
        Assert.NotNull(await RigMail.WaitForAsync(ExternalLandsIn, SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));

        // IMAP answers again: the next job stores the copy, once
        await rig.RegisterRigMailboxAsync(Alice);
        Assert.Equal(SendJobResult.AlreadyDone, await HandleAsync(rig, entry));
        Assert.Equal(SentCopyState.Stored, (await RowAsync(rig, entry)).SentCopy);
        Assert.Equal(SendJobResult.AlreadyDone, await HandleAsync(rig, entry));
        Assert.Single(await RigMail.FindAsync(Alice, SearchQuery.HeaderContains("Message-ID", sent.MessageId!), "Sent"));
        Assert.Single(await RigMail.FindAsync(ExternalLandsIn, SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));
    }

    [Fact(Timeout = 120_000)]
    public async Task SendSlowerThanTheLease_SecondJobMeanwhile_OneDelivery()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = NewRig();
        await using var proxy = new SmtpFaultProxy(Rig.SubmissionPort, SmtpFault.HoldEndOfData, hold: TimeSpan.FromSeconds(20));
        const string Peer = "m07@alpha.test";
        await rig.RegisterRigMailboxAsync(Alice, smtp: Through(proxy));
        await rig.RegisterRigMailboxAsync(Peer);
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, Peer, SendKind.Warmup), default);

        // the first worker's data is stuck on a slow link; a second job for the row arrives once the lease has run out
        var first = Task.Run(() => HandleAsync(rig, entry));
        await proxy.EndOfDataSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(Lease + TimeSpan.FromSeconds(1.5));
        var second = await HandleAsync(rig, entry);
        var firstResult = await first;

        Assert.Equal(SendJobResult.OutcomeUnknown, firstResult); // cut off by its deadline, well inside the lease
        Assert.Equal(SendJobResult.InFlightElsewhere, second);   // the lease runs from the first worker's last write
        var row = await SettleAsync(rig, entry, TimeSpan.FromSeconds(60));
        Assert.Equal(SendState.Sent, row.State);
        Assert.NotNull(await RigMail.WaitForAsync(Peer, SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
        await proxy.FaultDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(proxy.HeldDataForwarded, "the stalled first attempt reached the server after the row was sent again");
        Assert.Single(await RigMail.FindAsync(Peer, SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
    }

    [Fact(Timeout = 90_000)]
    public async Task ConnectionDroppedAfterData_ExternalRecipient_RecordedUnverified_NeverSentAgain()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = NewRig();
        await using var proxy = new SmtpFaultProxy(Rig.SubmissionPort, SmtpFault.DropReplyToData);
        await rig.RegisterRigMailboxAsync(Alice, smtp: Through(proxy));
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, External, SendKind.Warmup), default);

        Assert.Equal(SendJobResult.Unverified, await HandleAsync(rig, entry));
        await proxy.FaultDone.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Unverified, row.State);
        Assert.True(row.MaybeDelivered);
        Assert.Contains("not verifiable", row.Reason, StringComparison.Ordinal);

        // redelivered after the lease, as the queue would: still nothing sent again
        await Task.Delay(Lease + TimeSpan.FromSeconds(1.5));
        Assert.Equal(SendJobResult.AlreadyDone, await HandleAsync(rig, entry));
        Assert.Equal(1, proxy.Sessions);

        // the server did take it: one copy arrived, and it stays counted against the mailbox's cap
        Assert.NotNull(await RigMail.WaitForAsync(ExternalLandsIn, SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
        Assert.Single(await RigMail.FindAsync(ExternalLandsIn, SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync("rig", default))!;
        Assert.Equal(1, await rig.Get<ICapacityCounters>().CountAsync(CapacityScope.MailboxDay(Alice, DateTimeOffset.UtcNow, pool.TimeZone), default));
    }

    [Fact(Timeout = 120_000)]
    public async Task OutcomeUnknown_ThenATemporaryRefusal_TheFirstAttemptStaysCounted()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = NewRig();
        await using var proxy = new SmtpFaultProxy(Rig.SubmissionPort, SmtpFault.HoldEndOfData, hold: TimeSpan.FromSeconds(20));
        const string Peer = "m10@alpha.test";
        await rig.RegisterRigMailboxAsync(Alice, smtp: Through(proxy));
        await rig.RegisterRigMailboxAsync(Peer);
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, Peer, SendKind.Warmup), default);
        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync("rig", default))!;
        var scope = CapacityScope.MailboxDay(Alice, DateTimeOffset.UtcNow, pool.TimeZone);

        Assert.Equal(SendJobResult.OutcomeUnknown, await HandleAsync(rig, entry));
        await RigPostfix.SetSubmissionVerdictAsync(Peer, "450 4.2.0 Mailbox busy, come back later");
        try
        {
            // after the lease the lookup finds nothing, the row is sent again and refused for now
            await Task.Delay(Lease + TimeSpan.FromSeconds(1.5));
            Assert.Equal(SendJobResult.Deferred, await HandleAsync(rig, entry));
        }
        finally
        {
            await RigPostfix.SetSubmissionVerdictAsync(Peer, null);
        }

        Assert.True((await RowAsync(rig, entry)).MaybeDelivered);
        Assert.Equal(1, await rig.Get<ICapacityCounters>().CountAsync(scope, default));
    }
}
