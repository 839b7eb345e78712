using EmailInfra.Core.Mailboxes;
using MimeKit;

namespace EmailInfra.Core.Sending;

/// <summary>What became of one SMTP submission.</summary>
public enum SmtpOutcomeKind
{
    /// <summary>The server accepted the message (2xx after DATA).</summary>
    Accepted,

    /// <summary>4xx reply: try again later.</summary>
    TransientFailure,

    /// <summary>5xx reply to a recipient or the message: a synchronous bounce, never retried.</summary>
    PermanentFailure,

    /// <summary>The server refused the mailbox's credentials.</summary>
    AuthenticationFailed,

    /// <summary>TLS was required and could not be negotiated; nothing was sent.</summary>
    TlsUnavailable,

    /// <summary>Could not connect, or the connection broke before the message was handed over.</summary>
    ConnectionFailed,

    /// <summary>The connection broke while the message was in flight: the server may or may not have taken it.</summary>
    OutcomeUnknown,
}

/// <summary>The result of an SMTP submission, with the server's reply as evidence.</summary>
public sealed record SmtpOutcome(SmtpOutcomeKind Kind, int? ReplyCode, string? EnhancedStatus, string Reply)
{
    public bool IsAccepted => Kind == SmtpOutcomeKind.Accepted;
}

/// <summary>Submits one composed message over SMTP as a mailbox (adapter over MailKit).</summary>
public interface IMailSender
{
    Task<SmtpOutcome> SendAsync(Mailbox mailbox, MailboxCredentials credentials, MimeMessage message, CancellationToken cancellationToken);
}
