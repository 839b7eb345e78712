using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Secrets;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MailKit.Search;

namespace EmailInfra.Functions.Tests.Sending;

/// <summary>The send path's failure and hygiene rules against real Postfix, Dovecot, Knot and Azurite.</summary>
public class SendPipelineTests
{
    private const string Alice = "alice@alpha.test";

    private static async Task<(RigServices Rig, LedgerEntry Entry)> PlanAsync(string to, string? alicePassword = null, MailServerEndpoint? smtp = null, bool reuseConnections = true)
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var rig = new RigServices(new Dictionary<string, string?> { ["MailTransport:ReuseConnections"] = reuseConnections.ToString() });
        await rig.RegisterRigMailboxAsync(Alice, password: alicePassword, smtp: smtp);
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, to, SendKind.Warmup), default);
        return (rig, entry);
    }

    private static Task<SendJobResult> SendAsync(RigServices rig, LedgerEntry entry) =>
        rig.Get<SendHandler>().HandleAsync(SendJob.For(entry.Key), default);

    private static async Task<LedgerEntry> RowAsync(RigServices rig, LedgerEntry entry) => (await rig.Get<ISendLedger>().GetAsync(entry.Key, default))!;

    [Fact(Timeout = 60_000)]
    public async Task TransientReply_RetriedWithBackoff_ThenDeliveredOnce()
    {
        // a Postfix reload reaches new sessions only: these tests change verdicts, so no connection is kept between sends
        var (rig, entry) = await PlanAsync("m02@beta.test", reuseConnections: false);
        await using var _ = rig;
        await RigPostfix.SetSubmissionVerdictAsync("m02@beta.test", "450 4.2.0 Mailbox busy, come back later");
        try
        {
            Assert.Equal(SendJobResult.Deferred, await SendAsync(rig, entry));
            var deferred = await RowAsync(rig, entry);
            Assert.Equal(SendState.Deferred, deferred.State);
            Assert.Contains("450", deferred.SmtpReply, StringComparison.Ordinal);
            Assert.Null(deferred.Reason); // a busy mailbox is not a rate-limit signal: no pool back-off
        }
        finally
        {
            await RigPostfix.SetSubmissionVerdictAsync("m02@beta.test", null);
        }

        var again = await SendAsync(rig, entry);
        var sent = await RowAsync(rig, entry);
        Assert.True(again == SendJobResult.Sent, $"{again}: {sent.State} {sent.SmtpReply} {sent.Reason}");
        Assert.Equal(2, sent.Attempts);
        Assert.NotNull(await RigMail.WaitForAsync("m02@beta.test", SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));
        Assert.Single(await RigMail.FindAsync("m02@beta.test", SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));
    }

    [Fact(Timeout = 60_000)]
    public async Task RateLimitReply_BacksThePoolOffFromThatProvider()
    {
        var (rig, entry) = await PlanAsync("m05@beta.test", reuseConnections: false);
        await using var _ = rig;
        await RigPostfix.SetSubmissionVerdictAsync("m05@beta.test", "451 4.7.1 Too many messages, slow down");
        try
        {
            Assert.Equal(SendJobResult.Deferred, await SendAsync(rig, entry));
        }
        finally
        {
            await RigPostfix.SetSubmissionVerdictAsync("m05@beta.test", null);
        }

        var row = await RowAsync(rig, entry);
        Assert.Contains("deferral rule rate-limited", row.Reason, StringComparison.Ordinal);
        var until = await rig.Get<ICapacityCounters>().BackoffUntilAsync("rig", "beta", DateTimeOffset.UtcNow, default);
        Assert.True(until > DateTimeOffset.UtcNow.AddMinutes(50), $"back-off until {until}");

        // another send of the pool to the same provider waits too, before touching SMTP
        var other = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(Alice, "carol@beta.test", SendKind.Warmup), default);
        Assert.Equal(SendJobResult.Paced, await SendAsync(rig, other));
        Assert.Contains("backs off from beta", (await RowAsync(rig, other)).Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task PermanentReply_SynchronousBounce_NeverRetried()
    {
        var (rig, entry) = await PlanAsync("nobody@alpha.test");
        await using var _ = rig;
        Assert.Equal(SendJobResult.Bounced, await SendAsync(rig, entry));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Bounced, row.State);
        Assert.Equal("5.1.1", row.BounceStatus);
        Assert.StartsWith("550 ", row.SmtpReply, StringComparison.Ordinal);
        Assert.Equal(SendJobResult.AlreadyDone, await SendAsync(rig, entry));
    }

    [Fact(Timeout = 60_000)]
    public async Task RefusedPassword_PausesTheMailbox_SendsNothing()
    {
        var (rig, entry) = await PlanAsync("carol@beta.test", alicePassword: "not-alices-password");
        await using var _ = rig;
        Assert.Equal(SendJobResult.MailboxNotActive, await SendAsync(rig, entry));
        var paused = (await rig.Get<IMailboxStore>().GetAsync("rig", Alice, default))!;
        Assert.Equal(MailboxState.Paused, paused.State);
        Assert.StartsWith("credentials invalid", paused.StateReason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-alices-password", paused.StateReason, StringComparison.Ordinal);
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Deferred, row.State);
        Assert.Contains("paused", row.Reason, StringComparison.Ordinal);
        Assert.Equal(SendJobResult.MailboxNotActive, await SendAsync(rig, entry));
        Assert.Empty(await RigMail.FindAsync("carol@beta.test", SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
    }

    [Fact(Timeout = 60_000)]
    public async Task TlsRequiredButNotOffered_Refused_AndRecorded()
    {
        // the fake remote MX on 2526 offers no STARTTLS
        var (rig, entry) = await PlanAsync("carol@beta.test", smtp: new MailServerEndpoint(Rig.Host, 2526, TlsMode.StartTls));
        await using var _ = rig;
        Assert.Equal(SendJobResult.Failed, await SendAsync(rig, entry));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Failed, row.State);
        Assert.Contains("TLS", row.Reason, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("someone@nosuch.alpha.test", "does not exist")]
    [InlineData("someone@nullmx.alpha.test", "null MX")]
    public async Task UndeliverableDomain_SkippedAndRecorded(string recipient, string reason)
    {
        var (rig, entry) = await PlanAsync(recipient);
        await using var _ = rig;
        Assert.Equal(SendJobResult.Skipped, await SendAsync(rig, entry));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Failed, row.State);
        Assert.Contains(reason, row.Reason, StringComparison.Ordinal);
        Assert.Null(row.MessageId);
    }

    [Fact(Timeout = 60_000)]
    public async Task SuppressedRecipient_NeverSentTo()
    {
        var (rig, entry) = await PlanAsync("dave@beta.test");
        await using var _ = rig;
        await rig.Get<ISuppressionList>().AddAsync("dave@beta.test", "complaint", "test", default);
        Assert.Equal(SendJobResult.Skipped, await SendAsync(rig, entry));
        Assert.Contains("suppressed", (await RowAsync(rig, entry)).Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task AddressOnlyDomain_AcceptedByTheAFallback()
    {
        Rig.Require(RigService.Dns, RigService.Azurite);
        await using var rig = new RigServices();
        var verdict = await rig.Get<RecipientCheck>().CheckAsync("x@nomx.alpha.test", checkSuppression: true, default);
        Assert.True(verdict.Valid, verdict.Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task LastTryFailing_LedgerRowSaysWhyBeforeThePoisonQueue()
    {
        var (rig, entry) = await PlanAsync("carol@beta.test");
        await using var _ = rig;
        // the password's secret is gone: every try fails the same way
        File.Delete(Path.Combine(rig.SecretsDir, MailboxRegistry.SecretNameFor(Alice) + ".secret"));
        var message = EmailInfra.Core.Jobs.JobSerializer.Serialize(SendJob.For(entry.Key));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => rig.Get<SendHandler>().HandleAsync(message, 4, default));
        Assert.NotEqual(SendState.Failed, (await RowAsync(rig, entry)).State);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => rig.Get<SendHandler>().HandleAsync(message, 5, default));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Failed, row.State);
        Assert.StartsWith("poisoned after 5 tries: KeyNotFoundException", row.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task RowLeftSending_AfterTheLease_FoundInTheRecipientsMailbox_NotSentAgain()
    {
        var (rig, entry) = await PlanAsync("erin@gamma.test");
        await using var _ = rig;
        await rig.RegisterRigMailboxAsync("erin@gamma.test");
        Assert.Equal(SendJobResult.Sent, await SendAsync(rig, entry));
        var sent = await RowAsync(rig, entry);
        Assert.NotNull(await RigMail.WaitForAsync("erin@gamma.test", SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));

        // as if the worker died after SMTP accepted but before "sent" was recorded
        var stuck = await rig.Get<ISendLedger>().TryReplaceAsync(sent with { State = SendState.Sending, UpdatedAt = DateTimeOffset.UtcNow }, default);
        Assert.Equal(SendJobResult.InFlightElsewhere, await SendAsync(rig, stuck!)); // within the lease: wait
        await Task.Delay(TimeSpan.FromSeconds(11.5)); // the rig's lease (10 s), timed by storage's clock to the second

        Assert.Equal(SendJobResult.AlreadyDone, await SendAsync(rig, stuck!));
        var row = await RowAsync(rig, entry);
        Assert.Equal(SendState.Sent, row.State);
        Assert.Contains("found in", row.Reason, StringComparison.Ordinal);
        Assert.Single(await RigMail.FindAsync("erin@gamma.test", SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));
        Assert.Equal(1, (await rig.Get<IMetricsStore>().GetAsync(Alice, entry.Key.Day, default))[MailboxMetric.Sent]);
    }

    [Fact(Timeout = 90_000)]
    public async Task RowLeftSending_NeverHandedOver_SentAfterTheLease()
    {
        var (rig, entry) = await PlanAsync("frank@gamma.test");
        await using var _ = rig;
        await rig.RegisterRigMailboxAsync("frank@gamma.test");
        // as if the worker died right after its claim; the lease is timed by storage's clock, so it is waited out
        var claimed = await rig.Get<ISendLedger>().TryReplaceAsync(
            entry with { State = SendState.Sending, MessageId = MessageComposer.NewMessageId(Alice), Attempts = 1, UpdatedAt = DateTimeOffset.UtcNow }, default);
        Assert.Equal(SendJobResult.InFlightElsewhere, await SendAsync(rig, claimed!));
        await Task.Delay(TimeSpan.FromSeconds(11.5));
        Assert.Equal(SendJobResult.Sent, await SendAsync(rig, claimed!));
        var row = await RowAsync(rig, entry);
        Assert.Equal(claimed!.MessageId, row.MessageId);
        Assert.NotNull(await RigMail.WaitForAsync("frank@gamma.test", SearchQuery.HeaderContains("Message-ID", row.MessageId!)));
        Assert.NotNull(await RigMail.WaitForAsync(Alice, SearchQuery.HeaderContains("Message-ID", row.MessageId!), "Sent"));
    }
}
