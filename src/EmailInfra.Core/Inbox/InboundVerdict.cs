namespace EmailInfra.Core.Inbox;

/// <summary>What a received message is, as far as reputation is concerned.</summary>
public abstract record InboundVerdict;

/// <summary>A delivery status notification reporting failed recipients.</summary>
public sealed record BounceVerdict(IReadOnlyList<FailedRecipient> Recipients, string? OriginalMessageId) : InboundVerdict;

/// <summary>One recipient a bounce reports on, with the reason (Sisimai's categories) and whether it is hard.</summary>
public sealed record FailedRecipient(string Address, string? Status, string? Action, string? Diagnostic, string? RemoteMta)
{
    /// <summary>The SMTP reply code found in the diagnostic, as text ("550"), if any.</summary>
    public string? ReplyCode { get; init; }

    /// <summary>The SMTP stage the remote server refused at, when the bounce says: CONN, HELO, MAIL, RCPT or DATA.</summary>
    public string? Command { get; init; }

    /// <summary>userunknown, mailboxfull, hostunknown, blocked, spamdetected, … (see bounce-rules.json).</summary>
    public string Reason { get; init; } = "undefined";

    /// <summary>A hard bounce: the address will never take mail (unknown user or host, moved); the recipient is suppressed.</summary>
    public bool IsHard { get; init; }

    /// <summary>The DSN reports a final failure rather than a delay or a success.</summary>
    public bool IsFailure => string.Equals(Action, "failed", StringComparison.OrdinalIgnoreCase)
        || (Action is null && Status is { Length: > 0 } s && s[0] is '4' or '5');
}

/// <summary>An ARF feedback report (RFC 5965): a recipient marked our mail as spam, or similar.</summary>
public sealed record ComplaintVerdict(string FeedbackType, IReadOnlyList<string> Recipients, string? OriginalMessageId) : InboundVerdict;

/// <summary>An automatic reply (RFC 3834, vacation, out of office): counted, never taken for a human reply.</summary>
public sealed record AutoReplyVerdict(string? MessageId, string? InReplyTo) : InboundVerdict;

/// <summary>Anything that is not a report: kept with the ids needed to link it to our sends.</summary>
public sealed record OrdinaryVerdict(string? MessageId, string? InReplyTo, IReadOnlyList<string> References) : InboundVerdict;

/// <summary>A message that could not be parsed; recorded and skipped.</summary>
public sealed record MalformedVerdict(string Reason) : InboundVerdict;
