using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Sending;

/// <summary>What handling one send job came to.</summary>
public enum SendJobResult
{
    Sent,
    AlreadyDone,

    /// <summary>Another worker holds the row, or it is mid-send with an unknown outcome: nothing was sent.</summary>
    InFlightElsewhere,

    /// <summary>The row was re-queued with a delay after a transient failure.</summary>
    Deferred,
    Bounced,
    Failed,

    /// <summary>The mailbox is paused or retired; the row stays planned.</summary>
    MailboxNotActive,

    /// <summary>The connection broke mid-message; the row stays "sending" until the Message-ID is looked for.</summary>
    OutcomeUnknown,
    NotFound,
}

/// <summary>Handles one send job: claim the ledger row, compose, send over SMTP, record the outcome, count.</summary>
public sealed class SendHandler(
    ISendLedger ledger,
    IMailboxStore mailboxes,
    ISecretStore secrets,
    IMailSender sender,
    IMetricsStore metrics,
    IJobQueue queue,
    IOptions<SendingOptions> options,
    TimeProvider time,
    ILogger<SendHandler> logger)
{
    /// <summary>Entry point for queue hosts: parses the message, then handles it.</summary>
    public Task<SendJobResult> HandleAsync(string message, CancellationToken cancellationToken) =>
        HandleAsync(SendJob.Parse(message), cancellationToken);

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
            case SendState.Bounced or SendState.Failed:
                return SendJobResult.AlreadyDone;
            case SendState.Sending:
                // The outcome of an interrupted send is unknown; never send blindly a second time.
                SendLog.OutcomeUnknown(logger, entry.Key.Mailbox, entry.Key.SendId, entry.MessageId);
                return SendJobResult.InFlightElsewhere;
        }

        var mailbox = await mailboxes.GetAsync(entry.PoolId, entry.Key.Mailbox, cancellationToken).ConfigureAwait(false);
        if (mailbox is null || !mailbox.IsActive)
        {
            SendLog.MailboxNotActive(logger, entry.Key.Mailbox, mailbox?.State.ToString() ?? "missing");
            return SendJobResult.MailboxNotActive;
        }

        var now = time.GetUtcNow();
        var claimed = await ledger.TryReplaceAsync(
            entry with
            {
                State = SendState.Sending,
                MessageId = entry.MessageId ?? MessageComposer.NewMessageId(mailbox.Address),
                Attempts = entry.Attempts + 1,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            SendLog.ClaimLost(logger, entry.Key.Mailbox, entry.Key.SendId);
            return SendJobResult.InFlightElsewhere;
        }

        await ledger.IndexMessageIdAsync(claimed.MessageId!, claimed.Key, cancellationToken).ConfigureAwait(false);
        var message = MessageComposer.Compose(claimed, mailbox, now);
        var credentials = await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var outcome = await sender.SendAsync(mailbox, credentials, message, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(claimed, mailbox, outcome, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SendJobResult> RecordAsync(LedgerEntry claimed, Mailbox mailbox, SmtpOutcome outcome, CancellationToken cancellationToken)
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

            case SmtpOutcomeKind.AuthenticationFailed:
                // Retrying a refused password only earns the mailbox a lockout: pause it for an operator.
                await mailboxes.UpsertAsync(mailbox with { State = MailboxState.Paused }, cancellationToken).ConfigureAwait(false);
                await ReplaceOwnedAsync(claimed with { State = SendState.Planned, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                SendLog.CredentialsRefused(logger, mailbox.Address);
                return SendJobResult.MailboxNotActive;

            case SmtpOutcomeKind.TlsUnavailable:
                // A configuration problem, not a passing one: never fall back to plaintext.
                await ReplaceOwnedAsync(claimed with { State = SendState.Failed, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
                return SendJobResult.Failed;

            case SmtpOutcomeKind.OutcomeUnknown:
                // Retrying could deliver twice; the row keeps its Message-ID so the outcome can be found later.
                await ReplaceOwnedAsync(claimed with { SmtpReply = "outcome unknown: " + outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                SendLog.OutcomeUnknown(logger, mailbox.Address, claimed.Key.SendId, claimed.MessageId);
                return SendJobResult.OutcomeUnknown;

            default:
                // Nothing was handed over: back to deferred, and retried with a growing delay until the bound.
                if (claimed.Attempts >= opts.MaxAttempts)
                {
                    await ReplaceOwnedAsync(claimed with { State = SendState.Failed, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                    SendLog.GaveUp(logger, mailbox.Address, claimed.Key.SendId, claimed.Attempts, outcome.Kind.ToString());
                    return SendJobResult.Failed;
                }

                await ReplaceOwnedAsync(claimed with { State = SendState.Deferred, SmtpReply = outcome.Reply, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                var delay = opts.RetryDelay(claimed.Attempts);
                await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(claimed.Key), delay, cancellationToken).ConfigureAwait(false);
                SendLog.Deferred(logger, mailbox.Address, claimed.Key.SendId, outcome.Kind.ToString(), delay);
                return SendJobResult.Deferred;
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
