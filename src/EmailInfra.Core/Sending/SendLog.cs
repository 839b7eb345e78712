using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Sending;

internal static partial class SendLog
{
    [LoggerMessage(1001, LogLevel.Warning, "Send job for {Mailbox} {Day} {SendId} has no ledger row; skipped")]
    public static partial void LedgerRowMissing(ILogger logger, string mailbox, string day, string sendId);

    [LoggerMessage(1002, LogLevel.Warning, "Send {SendId} of {Mailbox} is mid-send with an unknown outcome (Message-ID {MessageId}); not sent again")]
    public static partial void OutcomeUnknown(ILogger logger, string mailbox, string sendId, string? messageId);

    [LoggerMessage(1003, LogLevel.Information, "Mailbox {Mailbox} is {State}; send left planned")]
    public static partial void MailboxNotActive(ILogger logger, string mailbox, string state);

    [LoggerMessage(1004, LogLevel.Information, "Send {SendId} of {Mailbox} was claimed by another worker")]
    public static partial void ClaimLost(ILogger logger, string mailbox, string sendId);

    [LoggerMessage(1005, LogLevel.Information, "Sent {SendId} from {Mailbox} as {MessageId}")]
    public static partial void Sent(ILogger logger, string mailbox, string sendId, string? messageId);

    [LoggerMessage(1006, LogLevel.Warning, "Send {SendId} from {Mailbox} refused permanently: {ReplyCode} {EnhancedStatus}")]
    public static partial void RejectedPermanently(ILogger logger, string mailbox, string sendId, int? replyCode, string? enhancedStatus);

    [LoggerMessage(1007, LogLevel.Warning, "Send {SendId} from {Mailbox} failed ({Outcome}); retrying in {Delay}")]
    public static partial void Deferred(ILogger logger, string mailbox, string sendId, string outcome, TimeSpan delay);

    [LoggerMessage(1008, LogLevel.Error, "Send {SendId} from {Mailbox} given up after {Attempts} attempts ({Outcome})")]
    public static partial void GaveUp(ILogger logger, string mailbox, string sendId, int attempts, string outcome);

    [LoggerMessage(1009, LogLevel.Error, "SMTP server refused the credentials of {Mailbox}; mailbox paused")]
    public static partial void CredentialsRefused(ILogger logger, string mailbox);

    [LoggerMessage(1010, LogLevel.Warning, "DNS did not answer for {Recipient}: {Reason}; send retried later")]
    public static partial void DnsUnavailable(ILogger logger, string recipient, string reason);

    [LoggerMessage(1011, LogLevel.Warning, "Send {SendId} from {Mailbox} skipped: recipient {Reason}")]
    public static partial void RecipientSkipped(ILogger logger, string mailbox, string sendId, string reason);

    [LoggerMessage(1012, LogLevel.Information, "Send {SendId} from {Mailbox} paced: {Reason}; again in {Delay}")]
    public static partial void Paced(ILogger logger, string mailbox, string sendId, string reason, TimeSpan delay);

    [LoggerMessage(1013, LogLevel.Warning, "Pool {Pool} backs off from {Provider} (rule {Rule}) until {Until}")]
    public static partial void BackingOff(ILogger logger, string pool, string provider, string rule, DateTimeOffset until);

    [LoggerMessage(1014, LogLevel.Information, "Send {SendId} of {Mailbox} was delivered before the worker stopped: found in {Where}")]
    public static partial void Reconciled(ILogger logger, string mailbox, string sendId, string where);

    [LoggerMessage(1015, LogLevel.Warning, "Send {SendId} of {Mailbox}: Message-ID {MessageId} found nowhere after the lease; sending again")]
    public static partial void ResendingAfterLookup(ILogger logger, string mailbox, string sendId, string? messageId);

    [LoggerMessage(1016, LogLevel.Warning, "Copy of {MessageId} not appended to the Sent folder of {Mailbox}: {Reason}")]
    public static partial void AppendToSentFailed(ILogger logger, string mailbox, string? messageId, string reason);

    [LoggerMessage(1017, LogLevel.Error, "Poisoned send {SendId} of {Mailbox} could not be recorded on its ledger row: {Reason}")]
    public static partial void PoisonNotRecorded(ILogger logger, string mailbox, string sendId, string reason);

    [LoggerMessage(1018, LogLevel.Error, "Send {SendId} from {Mailbox} was accepted but recording it failed (round {Round}): {Reason}")]
    public static partial void SentNotRecorded(ILogger logger, string mailbox, string sendId, int round, string reason);

    [LoggerMessage(1019, LogLevel.Warning, "Send {SendId} of {Mailbox} recorded unverified (Message-ID {MessageId}): {Reason}")]
    public static partial void RecordedUnverified(ILogger logger, string mailbox, string sendId, string? messageId, string reason);

    [LoggerMessage(1020, LogLevel.Information, "Send {SendId} of {Mailbox} is claimed by a worker whose lease runs {Remaining} more; looked at again then")]
    public static partial void LeaseRunning(ILogger logger, string mailbox, string sendId, TimeSpan remaining);

    [LoggerMessage(1021, LogLevel.Warning, "Send {SendId} of {Mailbox}: the lookup for its Message-ID failed ({Reason}); again in {Delay}")]
    public static partial void LookupFailed(ILogger logger, string mailbox, string sendId, string reason, TimeSpan delay);

    [LoggerMessage(1022, LogLevel.Error, "Send {SendId} of {Mailbox} was taken over by another claim (now {State}); this worker's record is dropped")]
    public static partial void ClaimTakenOver(ILogger logger, string mailbox, string sendId, string state);

    [LoggerMessage(1023, LogLevel.Warning, "Claim of send {SendId} of {Mailbox} could not be given back: {Reason}")]
    public static partial void ClaimNotReleased(ILogger logger, string mailbox, string sendId, string reason);

    [LoggerMessage(1024, LogLevel.Information, "Queued {Count} unfinished sends that had lost their job")]
    public static partial void StrandedRequeued(ILogger logger, int count);
}
