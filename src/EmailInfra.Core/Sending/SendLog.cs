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
}
