using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Inbox;

internal static partial class InboxLog
{
    [LoggerMessage(2001, LogLevel.Information, "Poll job for {Mailbox}: mailbox missing or retired; skipped")]
    public static partial void MailboxGone(ILogger logger, string mailbox);

    [LoggerMessage(2002, LogLevel.Information, "Polled {Mailbox}: {Messages} new messages, {Bounces} bounces, {Placements} warm-up placements")]
    public static partial void Polled(ILogger logger, string mailbox, int messages, int bounces, int placements);

    [LoggerMessage(2003, LogLevel.Warning, "UIDVALIDITY of {Mailbox}/{Folder} changed from {Old} to {New}; resyncing")]
    public static partial void UidValidityChanged(ILogger logger, string mailbox, string folder, uint old, uint @new);

    [LoggerMessage(2004, LogLevel.Warning, "Malformed message {Mailbox}/{Folder} UID {Uid} skipped: {Reason}")]
    public static partial void Malformed(ILogger logger, string mailbox, string folder, uint uid, string reason);

    [LoggerMessage(2005, LogLevel.Information, "Bounce in {Mailbox} for {Recipient} (original {MessageId}) matches no send of ours")]
    public static partial void BounceUnlinked(ILogger logger, string mailbox, string recipient, string? messageId);

    [LoggerMessage(2006, LogLevel.Information, "Bounce linked to send {SendId} of {Mailbox}: {Recipient} {Status}")]
    public static partial void BounceLinked(ILogger logger, string mailbox, string sendId, string recipient, string? status);

    [LoggerMessage(2007, LogLevel.Information, "Warm-up mail from {Sender} found in {Mailbox}/{Folder}")]
    public static partial void WarmupPlaced(ILogger logger, string mailbox, string sender, string folder);

    [LoggerMessage(2008, LogLevel.Debug, "Polled {Mailbox}: nothing new")]
    public static partial void NothingNew(ILogger logger, string mailbox);

    [LoggerMessage(2009, LogLevel.Warning, "Complaint ({FeedbackType}) against mail of {Mailbox}, original {MessageId}")]
    public static partial void Complaint(ILogger logger, string mailbox, string feedbackType, string? messageId);

    [LoggerMessage(2010, LogLevel.Warning, "Could not engage with {Mailbox}/{Folder} UID {Uid}: {Reason}")]
    public static partial void EngagementFailed(ILogger logger, string mailbox, string folder, uint uid, string reason);

    [LoggerMessage(2011, LogLevel.Warning, "IMAP of {Mailbox}: {Status} ({Reason}); polls go on each interval")]
    public static partial void ImapUnreachable(ILogger logger, string mailbox, EmailInfra.Core.Mailboxes.ConnectionStatus status, string reason);

    [LoggerMessage(2012, LogLevel.Information, "IMAP of {Mailbox} answers again after {Failures} failed polls over {Down}")]
    public static partial void ImapAnswersAgain(ILogger logger, string mailbox, int failures, TimeSpan down);

    [LoggerMessage(2013, LogLevel.Warning, "Message {Mailbox}/{Folder} UID {Uid} recorded and skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, string mailbox, string folder, uint uid, string reason);

    [LoggerMessage(2014, LogLevel.Warning, "Poll of {Mailbox}/{Folder} stopped; progress to UID {Uid} not saved: {Reason}")]
    public static partial void ProgressNotSaved(ILogger logger, string mailbox, string folder, uint uid, string reason);

    [LoggerMessage(2015, LogLevel.Information, "Complaint ({FeedbackType}) in {Mailbox} about mail not in the ledger (original {MessageId}); recorded as unlinked, nothing suppressed")]
    public static partial void ComplaintUnlinked(ILogger logger, string mailbox, string feedbackType, string? messageId);

    [LoggerMessage(2016, LogLevel.Information, "Reply in {Mailbox} from {Recipient} to send {SendId}")]
    public static partial void Replied(ILogger logger, string mailbox, string recipient, string sendId);

    [LoggerMessage(2017, LogLevel.Information, "Warm-up reply from {Peer} reached {Mailbox}")]
    public static partial void WarmupReplied(ILogger logger, string mailbox, string peer);

    [LoggerMessage(2018, LogLevel.Information, "Warm-up mail {MessageId} rescued from {Mailbox}/{Folder} to the inbox")]
    public static partial void Rescued(ILogger logger, string mailbox, string folder, string messageId);
}
