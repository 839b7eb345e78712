using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EmailInfra.Core.Sending;

/// <summary>What handling one send job came to.</summary>
public enum SendJobResult
{
    Sent,
    AlreadyDone,

    /// <summary>Another worker holds the row: nothing was sent; a check is queued for after its lease.</summary>
    InFlightElsewhere,

    /// <summary>The row was re-queued with a delay after a transient failure.</summary>
    Deferred,

    /// <summary>A cap, the minimum gap or a provider back-off held the send; re-queued for when it may go.</summary>
    Paced,
    Bounced,
    Failed,

    /// <summary>The recipient failed list hygiene (syntax, domain, suppression): recorded and skipped.</summary>
    Skipped,

    /// <summary>The mailbox is paused; the send waits and is looked at again later.</summary>
    MailboxNotActive,

    /// <summary>The warm-up send is held by an operator's pause; its resume queues it again.</summary>
    Held,

    /// <summary>The connection broke mid-message; the row stays "sending" until the Message-ID is looked for.</summary>
    OutcomeUnknown,

    /// <summary>The server may have taken the message and no lookup can tell: recorded unverified, never sent again.</summary>
    Unverified,
    NotFound,
}

/// <summary>
/// Handles one send job: hygiene, caps, claim of the ledger row, compose, SMTP, outcome, count. Never sends a row twice.
/// </summary>
/// <remarks>
/// <para>A claim carries a token and is timed by storage's clock; a send has a deadline of at most half its lease, so a row found
/// "sending" after its lease is one whose worker is gone. Such a row is sent again only when a lookup shows the message did not
/// arrive: its Message-ID is neither in the sender's Sent folder (a server that keeps one itself) nor, when the recipient is
/// one of ours, in the recipient's mailbox. Where no lookup can tell, the row is recorded unverified and never sent again.</para>
/// <para>An accepted message is recorded "sent" before anything else; its copy in the Sent folder is a later, retried step that
/// can never cause a resend.</para>
/// </remarks>
public sealed class SendHandler(
    ISendLedger ledger,
    IMailboxStore mailboxes,
    ISecretStore secrets,
    IMailSender sender,
    IMailboxReader reader,
    IMetricsStore metrics,
    IJobQueue queue,
    SendCapacity capacity,
    RecipientCheck recipients,
    IOptions<SendingOptions> options,
    TimeProvider time,
    ILogger<SendHandler> logger)
{
    /// <summary>Entry point for queue hosts. On the last try the row records why the job is going to the poison queue.</summary>
    public async Task<SendJobResult> HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var job = SendJob.Parse(message);
        try
        {
            return await HandleAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (dequeueCount >= options.Value.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await RecordPoisonAsync(job, dequeueCount, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<SendJobResult> HandleAsync(SendJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var entry = await ledger.GetAsync(job.Key, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            SendLog.LedgerRowMissing(logger, job.Mailbox, job.Day, job.SendId);
            return SendJobResult.NotFound;
        }

        switch (entry.State)
        {
            case SendState.Sent:
                // A crash between recording "sent" and counting it leaves the count to the redelivery.
                await CountSentAsync(entry, cancellationToken).ConfigureAwait(false);
                if (entry.SentCopy == SentCopyState.Pending)
                {
                    await StoreSentCopyAsync(entry, null, null, cancellationToken).ConfigureAwait(false);
                }

                return SendJobResult.AlreadyDone;
            case SendState.Bounced or SendState.Failed or SendState.Cancelled or SendState.Unverified:
                return SendJobResult.AlreadyDone;
            case SendState.Held:
                // Paused by an operator: the resume re-queues it, so this job ends here.
                return SendJobResult.Held;
        }

        var mailbox = await mailboxes.GetAsync(entry.PoolId, entry.Key.Mailbox, cancellationToken).ConfigureAwait(false);
        if (entry.State == SendState.Sending)
        {
            var reconciled = await ReconcileAsync(entry, mailbox, cancellationToken).ConfigureAwait(false);
            if (reconciled.Result is { } done)
            {
                return done;
            }

            entry = reconciled.Entry!;
        }

        if (mailbox is null || mailbox.State == MailboxState.Retired)
        {
            await ChangeAsync(entry, IsOpen, e => e with { State = SendState.Failed, Reason = "mailbox missing or retired", UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            return SendJobResult.Failed;
        }

        if (!mailbox.IsActive)
        {
            SendLog.MailboxNotActive(logger, entry.Key.Mailbox, mailbox.State.ToString());
            await RequeueAsync(entry, options.Value.InactiveRecheck, cancellationToken).ConfigureAwait(false);
            return SendJobResult.MailboxNotActive;
        }

        return await SendAsync(entry, mailbox, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SendJobResult> SendAsync(LedgerEntry entry, Mailbox mailbox, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        RecipientVerdict verdict;
        try
        {
            // Suppression binds every send; warm-up peers are ours and pass the same checks.
            verdict = await recipients.CheckAsync(entry.Recipient, checkSuppression: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or System.Net.Sockets.SocketException)
        {
            SendLog.DnsUnavailable(logger, entry.Recipient, ex.Message);
            return await WaitOutOutageAsync(entry, "DNS did not answer: " + ex.Message, cancellationToken).ConfigureAwait(false);
        }

        if (!verdict.Valid)
        {
            var skipped = await ChangeAsync(entry, IsOpen, e => e with { State = SendState.Failed, Reason = "recipient skipped: " + verdict.Reason, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            SendLog.RecipientSkipped(logger, mailbox.Address, entry.Key.SendId, verdict.Reason ?? string.Empty);
            return skipped ? SendJobResult.Skipped : SendJobResult.InFlightElsewhere;
        }

        // Before anything is claimed or reserved: a mailbox whose secret is gone must fail here, not mid-send.
        var credentials = await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var provider = verdict.Provider ?? "other";
        var zone = (await mailboxes.GetPoolAsync(mailbox.PoolId, cancellationToken).ConfigureAwait(false))?.TimeZone ?? TimeZoneInfo.Utc;
        var decision = await capacity.TryReserveAsync(entry.Key.SendId, mailbox.Address, mailbox.PoolId, zone, provider, now, cancellationToken, mailbox.State == MailboxState.Throttled ? mailbox.ThrottleFactor : 1.0).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            // Not dropped, not sent: back on the queue, invisible until the limit allows it.
            var delay = decision.RetryAt!.Value - now + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
            if (await ChangeAsync(entry, IsOpen, e => e with { State = SendState.Deferred, Reason = decision.Reason, Provider = provider, DueAt = now + delay, UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
            {
                await RequeueAsync(entry, delay, cancellationToken).ConfigureAwait(false);
            }

            SendLog.Paced(logger, mailbox.Address, entry.Key.SendId, decision.Reason ?? string.Empty, delay);
            return SendJobResult.Paced;
        }

        // The claim's time is taken now, after the checks, so the lease covers the send and nothing before it.
        var claimedAt = time.GetUtcNow();
        var claimed = await ledger.TryReplaceAsync(
            entry with
            {
                State = SendState.Sending,
                MessageId = entry.MessageId ?? MessageComposer.NewMessageId(mailbox.Address),
                Attempts = entry.Attempts + 1,
                Provider = provider,
                Reason = null,
                ClaimToken = Guid.NewGuid().ToString("N"),
                ClaimedAt = claimedAt,
                DueAt = claimedAt + options.Value.SendingLease,
                UpdatedAt = claimedAt,
            },
            cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            SendLog.ClaimLost(logger, entry.Key.Mailbox, entry.Key.SendId);
            return SendJobResult.InFlightElsewhere;
        }

        // Everything from here to the server's last reply ends well inside the lease: no other worker can take the row over
        // while this send may still reach the server.
        using var deadline = new CancellationTokenSource(options.Value.SendDeadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await ledger.IndexMessageIdAsync(claimed.MessageId!, claimed.Key, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing went out yet: give the claim back so the row is not left to a lookup.
            await ReleaseClaimAsync(claimed, "storage failed before sending: " + ex.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }

        using var message = MessageComposer.Compose(claimed, mailbox, claimedAt);
        var outcome = await sender.SendAsync(mailbox, credentials, message, linked.Token).ConfigureAwait(false);
        return await RecordAsync(claimed, mailbox, credentials, message, outcome, decision, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SendJobResult> RecordAsync(
        LedgerEntry claimed, Mailbox mailbox, MailboxCredentials credentials, MimeMessage message, SmtpOutcome outcome, CapacityDecision decision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var opts = options.Value;
        switch (outcome.Kind)
        {
            case SmtpOutcomeKind.Accepted:
                return await RecordAcceptedAsync(claimed, mailbox, credentials, message, outcome, cancellationToken).ConfigureAwait(false);

            case SmtpOutcomeKind.PermanentFailure:
                await RecordOwnedAsync(
                    claimed,
                    e => e with
                    {
                        State = SendState.Bounced,
                        SmtpReply = outcome.Reply,
                        BounceStatus = outcome.EnhancedStatus ?? (outcome.ReplyCode is { } c ? $"{c / 100}.0.0" : "5.0.0"),
                        BounceDiagnostic = outcome.Reply,
                        UpdatedAt = now,
                    },
                    cancellationToken).ConfigureAwait(false);
                SendLog.RejectedPermanently(logger, mailbox.Address, claimed.Key.SendId, outcome.ReplyCode, outcome.EnhancedStatus);
                return SendJobResult.Bounced;

            case SmtpOutcomeKind.OutcomeUnknown:
                return await RecordUnknownAsync(claimed, mailbox, outcome, now).ConfigureAwait(false);
        }

        // Nothing was handed over: the reservation goes back, unless an earlier attempt may have delivered this row.
        if (!claimed.MaybeDelivered)
        {
            await capacity.ReleaseAsync(claimed.Key.SendId, decision.Held, cancellationToken).ConfigureAwait(false);
        }

        switch (outcome.Kind)
        {
            case SmtpOutcomeKind.AuthenticationFailed:
                // Retrying a refused password only earns the mailbox a lockout: pause it for an operator.
                await mailboxes.UpsertAsync(
                    mailbox with { State = MailboxState.Paused, StateReason = $"credentials invalid: SMTP refused the password at {now:u} ({outcome.Reply})" },
                    cancellationToken).ConfigureAwait(false);
                await RecordOwnedAsync(claimed, e => e with { State = SendState.Deferred, SmtpReply = outcome.Reply, Reason = "credentials refused; mailbox paused", DueAt = now + opts.InactiveRecheck, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                await RequeueAsync(claimed, opts.InactiveRecheck, cancellationToken).ConfigureAwait(false);
                SendLog.CredentialsRefused(logger, mailbox.Address);
                return SendJobResult.MailboxNotActive;

            case SmtpOutcomeKind.TlsUnavailable:
                // A configuration problem, not a passing one: never fall back to plaintext.
                await RecordOwnedAsync(claimed, e => e with { State = SendState.Failed, SmtpReply = outcome.Reply, Reason = "TLS required but not available", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
                return SendJobResult.Failed;

            case SmtpOutcomeKind.ConnectionFailed:
                // The server was not reached (refused, unresolvable, dropped before the message): an outage is waited out for hours.
                var released = await RecordOwnedAsync(claimed, e => e with { State = SendState.Deferred, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                return released is null
                    ? SendJobResult.InFlightElsewhere
                    : await WaitOutOutageAsync(released, "server not reached: " + outcome.Reply, cancellationToken).ConfigureAwait(false);
        }

        var refusals = claimed.Refusals + 1;
        if (refusals >= opts.MaxAttempts)
        {
            await RecordOwnedAsync(claimed, e => e with { State = SendState.Failed, SmtpReply = outcome.Reply, Refusals = refusals, Reason = $"gave up after {refusals} temporary refusals", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
            return SendJobResult.Failed;
        }

        var delay = opts.RetryDelay(refusals);
        string? reason = null;
        if (capacity.Limits.DeferralFor(outcome.ReplyCode, outcome.Reply) is { } rule && claimed.Provider is { } provider)
        {
            // The receiving side asks us to slow down: the whole pool backs off from that provider, not just this send.
            var until = now + rule.Backoff;
            await capacity.BackOffAsync(mailbox.PoolId, provider, until, rule.Name, cancellationToken).ConfigureAwait(false);
            reason = $"deferral rule {rule.Name}: pool {mailbox.PoolId} backs off from {provider} until {until:u}";
            delay = until - now > delay ? until - now : delay;
            SendLog.BackingOff(logger, mailbox.PoolId, provider, rule.Name, until);
        }

        await RecordOwnedAsync(claimed, e => e with { State = SendState.Deferred, SmtpReply = outcome.Reply, Refusals = refusals, Reason = reason, DueAt = now + delay, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        await RequeueAsync(claimed, delay, cancellationToken).ConfigureAwait(false);
        SendLog.Deferred(logger, mailbox.Address, claimed.Key.SendId, outcome.Kind.ToString(), delay);
        return SendJobResult.Deferred;
    }

    /// <summary>The server took the message: "sent" is the first thing recorded, whatever else fails afterwards.</summary>
    private async Task<SendJobResult> RecordAcceptedAsync(LedgerEntry claimed, Mailbox mailbox, MailboxCredentials credentials, MimeMessage message, SmtpOutcome outcome, CancellationToken cancellationToken)
    {
        var copy = mailbox.AppendToSent ? SentCopyState.Pending : SentCopyState.NotNeeded;
        LedgerEntry? sent = null;
        for (var round = 1; sent is null; round++)
        {
            try
            {
                // Not cancelled by a host that is stopping: this one short write is what keeps the message from going out twice.
                var now = time.GetUtcNow();
                sent = await RecordOwnedAsync(claimed, e => e with { State = SendState.Sent, SmtpReply = outcome.Reply, SentCopy = copy, Reason = null, UpdatedAt = now }, CancellationToken.None).ConfigureAwait(false);
                if (sent is null)
                {
                    return SendJobResult.InFlightElsewhere;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && round < 3)
            {
                // Storage is failing after the storage client's own retries: the truth is known here only, so keep trying a while.
                SendLog.SentNotRecorded(logger, mailbox.Address, claimed.Key.SendId, round, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5 * round), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Still failing: leave the copy in Sent where a later lookup finds it, then let the job be retried.
                SendLog.SentNotRecorded(logger, mailbox.Address, claimed.Key.SendId, round, ex.Message);
                if (mailbox.AppendToSent)
                {
                    await TryAppendAsync(mailbox, credentials, message, CancellationToken.None).ConfigureAwait(false);
                }

                throw;
            }
        }

        SendLog.Sent(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId);
        await CountSentAsync(sent, cancellationToken).ConfigureAwait(false);
        if (copy == SentCopyState.Pending)
        {
            await StoreSentCopyAsync(sent, mailbox, message, cancellationToken).ConfigureAwait(false);
        }

        return SendJobResult.Sent;
    }

    /// <summary>The connection broke in flight. A row a lookup can decide waits for it; any other is settled unverified now.</summary>
    private async Task<SendJobResult> RecordUnknownAsync(LedgerEntry claimed, Mailbox mailbox, SmtpOutcome outcome, DateTimeOffset now)
    {
        var opts = options.Value;
        var lookup = await LookupForAsync(mailbox, claimed.Recipient, CancellationToken.None).ConfigureAwait(false);
        if (lookup is null)
        {
            await RecordOwnedAsync(
                claimed,
                e => e with
                {
                    State = SendState.Unverified,
                    MaybeDelivered = true,
                    SmtpReply = "outcome unknown: " + outcome.Reply,
                    Reason = UnverifiableReason(mailbox, claimed.Recipient),
                    UpdatedAt = now,
                },
                CancellationToken.None).ConfigureAwait(false);
            await CountUnverifiedAsync(claimed, CancellationToken.None).ConfigureAwait(false);
            SendLog.RecordedUnverified(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId, outcome.Reply);
            return SendJobResult.Unverified;
        }

        // Retrying now could deliver twice; after the lease, a redelivery looks for the Message-ID first.
        await RecordOwnedAsync(claimed, e => e with { MaybeDelivered = true, SmtpReply = "outcome unknown: " + outcome.Reply, DueAt = now + opts.SendingLease, UpdatedAt = now }, CancellationToken.None).ConfigureAwait(false);
        await RequeueAsync(claimed, opts.SendingLease, CancellationToken.None).ConfigureAwait(false);
        SendLog.OutcomeUnknown(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId);
        return SendJobResult.OutcomeUnknown;
    }

    /// <summary>Decides a row left "sending": wait out the lease, then look for its Message-ID; found means sent, not found means send again.</summary>
    private async Task<(SendJobResult? Result, LedgerEntry? Entry)> ReconcileAsync(LedgerEntry entry, Mailbox? mailbox, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var opts = options.Value;
        var remaining = ClaimLease.Remaining(entry, opts.SendingLease, now);
        if (remaining > TimeSpan.Zero)
        {
            // Another worker may be mid-send. Look again after its lease; its own success makes that check a no-op.
            await RequeueAsync(entry, remaining + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            SendLog.LeaseRunning(logger, entry.Key.Mailbox, entry.Key.SendId, remaining);
            return (SendJobResult.InFlightElsewhere, null);
        }

        var lookup = mailbox is null || entry.MessageId is null ? null : await LookupForAsync(mailbox, entry.Recipient, cancellationToken).ConfigureAwait(false);
        if (lookup is null)
        {
            var reason = mailbox is null ? "mailbox removed while a send was in flight" : UnverifiableReason(mailbox, entry.Recipient);
            return (await SettleUnverifiedAsync(entry, reason, cancellationToken).ConfigureAwait(false), null);
        }

        string? where;
        try
        {
            where = await lookup(entry.MessageId!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The servers that would show the message cannot be reached: look again later, within patience.
            var since = entry.ClaimedAt ?? entry.UpdatedAt;
            if (now - since > opts.LookupPatience)
            {
                return (await SettleUnverifiedAsync(entry, $"could not be looked for since {since:u}: {ex.Message}", cancellationToken).ConfigureAwait(false), null);
            }

            var delay = opts.RetryDelay(entry.Attempts + 1);
            SendLog.LookupFailed(logger, mailbox!.Address, entry.Key.SendId, ex.Message, delay);
            await RequeueAsync(entry, delay, cancellationToken).ConfigureAwait(false);
            return (SendJobResult.OutcomeUnknown, null);
        }

        if (where is not null)
        {
            var stored = await ChangeAsync(
                entry,
                e => e.State == SendState.Sending,
                e => e with { State = SendState.Sent, SmtpReply = e.SmtpReply ?? "accepted (reconciled)", Reason = "found in " + where, SentCopy = SentCopyState.NotNeeded, UpdatedAt = now },
                cancellationToken).ConfigureAwait(false);
            if (!stored)
            {
                return (SendJobResult.InFlightElsewhere, null);
            }

            await CountSentAsync(entry, cancellationToken).ConfigureAwait(false);
            SendLog.Reconciled(logger, mailbox!.Address, entry.Key.SendId, where);
            return (SendJobResult.AlreadyDone, null);
        }

        SendLog.ResendingAfterLookup(logger, mailbox!.Address, entry.Key.SendId, entry.MessageId);
        return (null, entry);
    }

    private async Task<SendJobResult> SettleUnverifiedAsync(LedgerEntry entry, string reason, CancellationToken cancellationToken)
    {
        var settled = await ChangeAsync(
            entry,
            e => e.State == SendState.Sending,
            e => e with { State = SendState.Unverified, MaybeDelivered = true, Reason = reason, UpdatedAt = time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);
        if (!settled)
        {
            return SendJobResult.InFlightElsewhere;
        }

        await CountUnverifiedAsync(entry, cancellationToken).ConfigureAwait(false);
        SendLog.RecordedUnverified(logger, entry.Key.Mailbox, entry.Key.SendId, entry.MessageId, reason);
        return SendJobResult.Unverified;
    }

    private static string UnverifiableReason(Mailbox mailbox, string recipient) =>
        $"outcome unknown and not verifiable: {mailbox.Address}'s server keeps no Sent copy and {recipient} is not one of our mailboxes; not sent again";

    /// <summary>
    /// How to find out whether a Message-ID arrived, or null when nothing can tell: the sender's Sent folder counts only on a
    /// server that files submitted mail itself (our own copy is stored after "sent" is recorded), the recipient's mailbox only
    /// when it is one of ours.
    /// </summary>
    private async Task<Func<string, CancellationToken, Task<string?>>?> LookupForAsync(Mailbox mailbox, string recipient, CancellationToken cancellationToken)
    {
        var peer = await mailboxes.FindByAddressAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (mailbox.AppendToSent && peer is null)
        {
            return null;
        }

        return async (messageId, ct) =>
        {
            var senderSession = await reader.OpenAsync(mailbox, await secrets.CredentialsForAsync(mailbox, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            await using (senderSession.ConfigureAwait(false))
            {
                // Our own copy may be there too (stored when recording "sent" failed): finding it is proof either way.
                if (await senderSession.ContainsMessageIdAsync(FolderRole.Sent, messageId, ct).ConfigureAwait(false))
                {
                    return $"{mailbox.Address}/Sent";
                }
            }

            if (peer is null)
            {
                return null;
            }

            var peerSession = await reader.OpenAsync(peer, await secrets.CredentialsForAsync(peer, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            await using (peerSession.ConfigureAwait(false))
            {
                foreach (var role in new[] { FolderRole.Inbox, FolderRole.Junk })
                {
                    if (await peerSession.ContainsMessageIdAsync(role, messageId, ct).ConfigureAwait(false))
                    {
                        return $"{peer.Address}/{role}";
                    }
                }
            }

            return null;
        };
    }

    /// <summary>Stores the copy of a sent message in the sender's Sent folder; a failure is retried later and never touches the send.</summary>
    private async Task StoreSentCopyAsync(LedgerEntry sent, Mailbox? mailbox, MimeMessage? message, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        mailbox ??= await mailboxes.GetAsync(sent.PoolId, sent.Key.Mailbox, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            await ChangeAsync(sent, e => e.SentCopy == SentCopyState.Pending, e => e with { SentCopy = SentCopyState.Abandoned, Reason = "Sent copy not stored: mailbox removed" }, cancellationToken).ConfigureAwait(false);
            return;
        }

        string? error;
        if (message is null)
        {
            // A later try recomposes the same message: same Message-ID, Date and content.
            using var recomposed = MessageComposer.Compose(sent, mailbox, sent.ClaimedAt ?? sent.UpdatedAt);
            error = await TryAppendAsync(mailbox, null, recomposed, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            error = await TryAppendAsync(mailbox, null, message, cancellationToken).ConfigureAwait(false);
        }

        if (error is null)
        {
            await ChangeAsync(sent, e => e.SentCopy == SentCopyState.Pending, e => e with { SentCopy = SentCopyState.Stored, SentCopyTries = e.SentCopyTries + 1 }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var tries = sent.SentCopyTries + 1;
        var abandoned = tries >= opts.SentCopyTries;
        var delay = opts.RetryDelay(tries);
        var now = time.GetUtcNow();
        var changed = await ChangeAsync(
            sent,
            e => e.SentCopy == SentCopyState.Pending,
            e => e with
            {
                SentCopy = abandoned ? SentCopyState.Abandoned : SentCopyState.Pending,
                SentCopyTries = tries,
                Reason = (abandoned ? "Sent copy not stored after " : "Sent copy pending after ") + $"{tries} tries: {error}",
                DueAt = abandoned ? null : now + delay,
            },
            cancellationToken).ConfigureAwait(false);
        if (changed && !abandoned)
        {
            await RequeueAsync(sent, delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends the copy unless the Sent folder already holds it; the error text, or null when the copy is there.</summary>
    private async Task<string?> TryAppendAsync(Mailbox mailbox, MailboxCredentials? credentials, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            credentials ??= await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
            var session = await reader.OpenAsync(mailbox, credentials, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                if (message.MessageId is not { } id || !await session.ContainsMessageIdAsync(FolderRole.Sent, id, cancellationToken).ConfigureAwait(false))
                {
                    await session.AppendToSentAsync(message, cancellationToken).ConfigureAwait(false);
                }
            }

            return null;
        }
#pragma warning disable CA1031 // any failure of the copy (refused connection, DNS, timeout, a server's NO) is recorded and retried, never fatal
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            SendLog.AppendToSentFailed(logger, mailbox.Address, message.MessageId, ex.Message);
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>
    /// Waits out an outage that kept a send from its server (DNS, refused connection): deferred with a delay that grows with the
    /// outage, failed only once it has lasted <see cref="SendingOptions.OutagePatience"/> past the planned time.
    /// </summary>
    private async Task<SendJobResult> WaitOutOutageAsync(LedgerEntry entry, string reason, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        var now = time.GetUtcNow();
        var waited = now - entry.ScheduledAt;
        if (waited > opts.OutagePatience)
        {
            await ChangeAsync(entry, IsOpen, e => e with { State = SendState.Failed, Reason = $"gave up after waiting {waited:g} for an outage to end: {reason}", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            SendLog.GaveUp(logger, entry.Key.Mailbox, entry.Key.SendId, entry.Attempts, reason);
            return SendJobResult.Failed;
        }

        // Half the time waited so far, within the retry bounds: a short blip retries soon, a long outage is not hammered.
        var delay = TimeSpan.FromTicks(Math.Clamp(waited.Ticks / 2, opts.RetryBaseDelay.Ticks, opts.RetryMaxDelay.Ticks));
        if (await ChangeAsync(entry, IsOpen, e => e with { State = SendState.Deferred, Reason = reason, DueAt = now + delay, UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
        {
            await RequeueAsync(entry, delay, cancellationToken).ConfigureAwait(false);
        }

        SendLog.Deferred(logger, entry.Key.Mailbox, entry.Key.SendId, reason, delay);
        return SendJobResult.Deferred;
    }

    private async Task RequeueAsync(LedgerEntry entry, TimeSpan delay, CancellationToken cancellationToken) =>
        await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(entry.Key), delay, cancellationToken).ConfigureAwait(false);

    private static bool IsOpen(LedgerEntry entry) => entry.State is SendState.Planned or SendState.Deferred;

    /// <summary>Applies a change to a row with its ETag while <paramref name="applies"/> holds, re-reading on a conflict; false if it no longer applies.</summary>
    private async Task<bool> ChangeAsync(LedgerEntry entry, Func<LedgerEntry, bool> applies, Func<LedgerEntry, LedgerEntry> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ledger.TryReplaceAsync(change(entry), cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            entry = await ledger.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) ?? entry;
            if (!applies(entry))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// A write by the worker holding the claim. On an ETag conflict the row is read again: still under this claim (the conflict
    /// came from our own write retried by the storage client, or from a bounce notice recorded meanwhile) the change is applied
    /// to what is there, unless the row has already settled; under another claim it is not written and null comes back.
    /// </summary>
    private async Task<LedgerEntry?> RecordOwnedAsync(LedgerEntry claimed, Func<LedgerEntry, LedgerEntry> change, CancellationToken cancellationToken)
    {
        var current = claimed;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ledger.TryReplaceAsync(change(current), cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }

            current = await ledger.GetAsync(claimed.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Ledger row {claimed.Key} vanished while this worker held it.");
            if (!string.Equals(current.ClaimToken, claimed.ClaimToken, StringComparison.Ordinal))
            {
                SendLog.ClaimTakenOver(logger, claimed.Key.Mailbox, claimed.Key.SendId, current.State.ToString());
                return null;
            }

            if (current.State.IsTerminal())
            {
                return current;
            }
        }

        throw new InvalidOperationException($"Ledger row {claimed.Key} kept changing while this worker held it.");
    }

    /// <summary>Gives a claim back when nothing was sent, so the row is sent later rather than left to a lookup.</summary>
    private async Task ReleaseClaimAsync(LedgerEntry claimed, string reason, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            await RecordOwnedAsync(claimed, e => e with { State = SendState.Deferred, Attempts = e.Attempts - 1, Reason = reason, DueAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // storage is what failed: the original error is the one to surface; the row is then left to the lease
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            SendLog.ClaimNotReleased(logger, claimed.Key.Mailbox, claimed.Key.SendId, ex.Message);
        }
    }

    private async Task RecordPoisonAsync(SendJob job, long dequeueCount, Exception ex, CancellationToken cancellationToken)
    {
        try
        {
            // Only a row that certainly went nowhere fails here; a row "sending" may have been delivered and is left to a lookup.
            var entry = await ledger.GetAsync(job.Key, cancellationToken).ConfigureAwait(false);
            if (entry is not null && IsOpen(entry))
            {
                await ChangeAsync(
                    entry,
                    IsOpen,
                    e => e with { State = SendState.Failed, Reason = $"poisoned after {dequeueCount} tries: {ex.GetType().Name}: {ex.Message}", UpdatedAt = time.GetUtcNow() },
                    cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the original failure is what the host must see; this record is best effort
        catch (Exception recordError)
#pragma warning restore CA1031
        {
            SendLog.PoisonNotRecorded(logger, job.Mailbox, job.SendId, recordError.Message);
        }
    }

    private Task<bool> CountSentAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        metrics.CountOnceAsync(entry.Key.Mailbox, entry.Key.Day, MailboxMetric.Sent, "sent|" + entry.Key.SendId, MetricBreakdown.For(MailboxMetric.Sent, entry.Provider), cancellationToken);

    private Task<bool> CountUnverifiedAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        metrics.CountOnceAsync(entry.Key.Mailbox, entry.Key.Day, MailboxMetric.Unverified, "unverified|" + entry.Key.SendId, cancellationToken);
}
