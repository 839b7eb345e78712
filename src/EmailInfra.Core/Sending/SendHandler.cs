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
    NotFound,
}

/// <summary>
/// Handles one send job: hygiene, caps, claim of the ledger row, compose, SMTP, outcome, count. Never sends a row twice:
/// a row found "sending" is only sent again after its lease, and only when its Message-ID is neither in the sender's Sent
/// folder nor, when the recipient is one of ours, in the recipient's mailbox.
/// </summary>
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
                return SendJobResult.AlreadyDone;
            case SendState.Bounced or SendState.Failed or SendState.Cancelled:
                return SendJobResult.AlreadyDone;
            case SendState.Held:
                // Paused by an operator: the resume re-queues it, so this job ends here.
                return SendJobResult.Held;
        }

        var mailbox = await mailboxes.GetAsync(entry.PoolId, entry.Key.Mailbox, cancellationToken).ConfigureAwait(false);
        if (mailbox is null || mailbox.State == MailboxState.Retired)
        {
            await UpdateAsync(entry, e => e with { State = SendState.Failed, Reason = "mailbox missing or retired" }, cancellationToken).ConfigureAwait(false);
            return SendJobResult.Failed;
        }

        if (entry.State == SendState.Sending)
        {
            var reconciled = await ReconcileAsync(entry, mailbox, cancellationToken).ConfigureAwait(false);
            if (reconciled.Result is { } done)
            {
                return done;
            }

            entry = reconciled.Entry!;
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
        catch (TimeoutException ex)
        {
            SendLog.DnsUnavailable(logger, entry.Recipient, ex.Message);
            await RequeueAsync(entry, options.Value.RetryBaseDelay, cancellationToken).ConfigureAwait(false);
            return SendJobResult.Deferred;
        }

        if (!verdict.Valid)
        {
            var skipped = await UpdateAsync(entry, e => e with { State = SendState.Failed, Reason = "recipient skipped: " + verdict.Reason, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            SendLog.RecipientSkipped(logger, mailbox.Address, entry.Key.SendId, verdict.Reason ?? string.Empty);
            return skipped ? SendJobResult.Skipped : SendJobResult.InFlightElsewhere;
        }

        // Before anything is claimed or reserved: a mailbox whose secret is gone must fail here, not mid-send.
        var credentials = await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var provider = verdict.Provider ?? "other";
        var decision = await capacity.TryReserveAsync(entry.Key.SendId, mailbox.Address, mailbox.PoolId, provider, now, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            // Not dropped, not sent: back on the queue, invisible until the limit allows it.
            var delay = decision.RetryAt!.Value - now + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
            if (await UpdateAsync(entry, e => e with { State = SendState.Deferred, Reason = decision.Reason, Provider = provider, UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
            {
                await RequeueAsync(entry, delay, cancellationToken).ConfigureAwait(false);
            }

            SendLog.Paced(logger, mailbox.Address, entry.Key.SendId, decision.Reason ?? string.Empty, delay);
            return SendJobResult.Paced;
        }

        var claimed = await ledger.TryReplaceAsync(
            entry with
            {
                State = SendState.Sending,
                MessageId = entry.MessageId ?? MessageComposer.NewMessageId(mailbox.Address),
                Attempts = entry.Attempts + 1,
                Provider = provider,
                Reason = null,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            SendLog.ClaimLost(logger, entry.Key.Mailbox, entry.Key.SendId);
            return SendJobResult.InFlightElsewhere;
        }

        await ledger.IndexMessageIdAsync(claimed.MessageId!, claimed.Key, cancellationToken).ConfigureAwait(false);
        using var message = MessageComposer.Compose(claimed, mailbox, now);
        var outcome = await sender.SendAsync(mailbox, credentials, message, cancellationToken).ConfigureAwait(false);
        if (outcome.IsAccepted && mailbox.AppendToSent)
        {
            // Before "sent" is recorded: if this worker dies now, the copy in Sent is what a redelivery finds.
            await AppendToSentAsync(mailbox, credentials, message, cancellationToken).ConfigureAwait(false);
        }

        return await RecordAsync(claimed, mailbox, outcome, decision, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SendJobResult> RecordAsync(LedgerEntry claimed, Mailbox mailbox, SmtpOutcome outcome, CapacityDecision decision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var opts = options.Value;
        switch (outcome.Kind)
        {
            case SmtpOutcomeKind.Accepted:
                var sent = await ReplaceOwnedAsync(claimed with { State = SendState.Sent, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                await CountSentAsync(sent, cancellationToken).ConfigureAwait(false);
                SendLog.Sent(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId);
                return SendJobResult.Sent;

            case SmtpOutcomeKind.PermanentFailure:
                await ReplaceOwnedAsync(
                    claimed with
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
                // Retrying now could deliver twice; after the lease, a redelivery looks for the Message-ID first.
                await ReplaceOwnedAsync(claimed with { SmtpReply = "outcome unknown: " + outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                await RequeueAsync(claimed, opts.SendingLease, cancellationToken).ConfigureAwait(false);
                SendLog.OutcomeUnknown(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId);
                return SendJobResult.OutcomeUnknown;
        }

        // Nothing was handed over: the reservation goes back.
        await capacity.ReleaseAsync(claimed.Key.SendId, decision.Held, cancellationToken).ConfigureAwait(false);
        switch (outcome.Kind)
        {
            case SmtpOutcomeKind.AuthenticationFailed:
                // Retrying a refused password only earns the mailbox a lockout: pause it for an operator.
                await mailboxes.UpsertAsync(
                    mailbox with { State = MailboxState.Paused, StateReason = $"credentials invalid: SMTP refused the password at {now:u} ({outcome.Reply})" },
                    cancellationToken).ConfigureAwait(false);
                await ReplaceOwnedAsync(claimed with { State = SendState.Deferred, SmtpReply = outcome.Reply, Reason = "credentials refused; mailbox paused", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                await RequeueAsync(claimed, opts.InactiveRecheck, cancellationToken).ConfigureAwait(false);
                SendLog.CredentialsRefused(logger, mailbox.Address);
                return SendJobResult.MailboxNotActive;

            case SmtpOutcomeKind.TlsUnavailable:
                // A configuration problem, not a passing one: never fall back to plaintext.
                await ReplaceOwnedAsync(claimed with { State = SendState.Failed, SmtpReply = outcome.Reply, Reason = "TLS required but not available", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
                return SendJobResult.Failed;
        }

        if (claimed.Attempts >= opts.MaxAttempts)
        {
            await ReplaceOwnedAsync(claimed with { State = SendState.Failed, SmtpReply = outcome.Reply, Reason = $"gave up after {claimed.Attempts} attempts", UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
            return SendJobResult.Failed;
        }

        var delay = opts.RetryDelay(claimed.Attempts);
        string? reason = null;
        if (outcome.Kind == SmtpOutcomeKind.TransientFailure && capacity.Limits.DeferralFor(outcome.ReplyCode, outcome.Reply) is { } rule && claimed.Provider is { } provider)
        {
            // The receiving side asks us to slow down: the whole pool backs off from that provider, not just this send.
            var until = now + rule.Backoff;
            await capacity.BackOffAsync(mailbox.PoolId, provider, until, rule.Name, cancellationToken).ConfigureAwait(false);
            reason = $"deferral rule {rule.Name}: pool {mailbox.PoolId} backs off from {provider} until {until:u}";
            delay = until - now > delay ? until - now : delay;
            SendLog.BackingOff(logger, mailbox.PoolId, provider, rule.Name, until);
        }

        await ReplaceOwnedAsync(claimed with { State = SendState.Deferred, SmtpReply = outcome.Reply, Reason = reason, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        await RequeueAsync(claimed, delay, cancellationToken).ConfigureAwait(false);
        SendLog.Deferred(logger, mailbox.Address, claimed.Key.SendId, outcome.Kind.ToString(), delay);
        return SendJobResult.Deferred;
    }

    /// <summary>Decides a row left "sending": wait out the lease, then look for its Message-ID; found means sent, not found means send again.</summary>
    private async Task<(SendJobResult? Result, LedgerEntry? Entry)> ReconcileAsync(LedgerEntry entry, Mailbox mailbox, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseEnd = entry.UpdatedAt + options.Value.SendingLease;
        if (now < leaseEnd)
        {
            // Another worker may be mid-send. Look again after its lease; its own success makes that check a no-op.
            await RequeueAsync(entry, leaseEnd - now + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            SendLog.OutcomeUnknown(logger, entry.Key.Mailbox, entry.Key.SendId, entry.MessageId);
            return (SendJobResult.InFlightElsewhere, null);
        }

        if (entry.MessageId is { } messageId)
        {
            var where = await LocateAsync(mailbox, entry.Recipient, messageId, cancellationToken).ConfigureAwait(false);
            if (where is not null)
            {
                var sent = entry with { State = SendState.Sent, SmtpReply = entry.SmtpReply ?? "accepted (reconciled)", Reason = "found in " + where, UpdatedAt = now };
                var stored = await ledger.TryReplaceAsync(sent, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    return (SendJobResult.InFlightElsewhere, null);
                }

                await CountSentAsync(stored, cancellationToken).ConfigureAwait(false);
                SendLog.Reconciled(logger, mailbox.Address, entry.Key.SendId, where);
                return (SendJobResult.AlreadyDone, null);
            }
        }

        SendLog.ResendingAfterLookup(logger, mailbox.Address, entry.Key.SendId, entry.MessageId);
        return (null, entry);
    }

    /// <summary>Where the Message-ID was found (the sender's Sent folder, or the recipient's mailbox when it is ours), or null.</summary>
    private async Task<string?> LocateAsync(Mailbox mailbox, string recipient, string messageId, CancellationToken cancellationToken)
    {
        var senderSession = await reader.OpenAsync(mailbox, await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await using (senderSession.ConfigureAwait(false))
        {
            if (await senderSession.ContainsMessageIdAsync(FolderRole.Sent, messageId, cancellationToken).ConfigureAwait(false))
            {
                return $"{mailbox.Address}/Sent";
            }
        }

        var peer = await mailboxes.FindByAddressAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (peer is null)
        {
            return null;
        }

        var peerSession = await reader.OpenAsync(peer, await secrets.CredentialsForAsync(peer, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await using (peerSession.ConfigureAwait(false))
        {
            foreach (var role in new[] { FolderRole.Inbox, FolderRole.Junk })
            {
                if (await peerSession.ContainsMessageIdAsync(role, messageId, cancellationToken).ConfigureAwait(false))
                {
                    return $"{peer.Address}/{role}";
                }
            }
        }

        return null;
    }

    private async Task AppendToSentAsync(Mailbox mailbox, MailboxCredentials credentials, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var session = await reader.OpenAsync(mailbox, credentials, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                await session.AppendToSentAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException || ex.GetType().Namespace?.StartsWith("MailKit", StringComparison.Ordinal) == true)
        {
            // The message went out; a missing Sent copy only weakens recovery from a crash in the next instant.
            SendLog.AppendToSentFailed(logger, mailbox.Address, message.MessageId, ex.Message);
        }
    }

    private async Task RequeueAsync(LedgerEntry entry, TimeSpan delay, CancellationToken cancellationToken) =>
        await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(entry.Key), delay, cancellationToken).ConfigureAwait(false);

    /// <summary>Applies a change to a row with its ETag, re-reading on a conflict; false if the row moved on to a final state meanwhile.</summary>
    private async Task<bool> UpdateAsync(LedgerEntry entry, Func<LedgerEntry, LedgerEntry> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ledger.TryReplaceAsync(change(entry), cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            entry = await ledger.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) ?? entry;
            if (entry.State is SendState.Sent or SendState.Bounced or SendState.Failed or SendState.Sending or SendState.Cancelled or SendState.Held)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RecordPoisonAsync(SendJob job, long dequeueCount, Exception ex, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await ledger.GetAsync(job.Key, cancellationToken).ConfigureAwait(false);
            if (entry is not null && entry.State is not (SendState.Sent or SendState.Bounced))
            {
                await UpdateAsync(
                    entry,
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

    private async Task<LedgerEntry> ReplaceOwnedAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        // The row is ours since the claim; a failure here means someone broke the protocol.
        return await ledger.TryReplaceAsync(entry, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Ledger row {entry.Key} changed while this worker held it.");
    }

    private Task<bool> CountSentAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        metrics.CountOnceAsync(entry.Key.Mailbox, entry.Key.Day, MailboxMetric.Sent, "sent|" + entry.Key.SendId, cancellationToken);
}
