namespace EmailInfra.Core.Sending;

/// <summary>Why an email is sent.</summary>
public enum SendKind
{
    /// <summary>Warm-up mail to a peer mailbox of the network.</summary>
    Warmup,

    /// <summary>A peer's in-thread reply to warm-up mail.</summary>
    WarmupReply,

    /// <summary>Real outbound mail to a prospect.</summary>
    Outbound,
}

/// <summary>Where a send stands. Planned → Sending → Sent | Deferred | Failed | Bounced.</summary>
public enum SendState
{
    Planned,
    Sending,
    Sent,

    /// <summary>A transient failure; the job is queued again with a delay.</summary>
    Deferred,

    /// <summary>Given up without delivery (retries exhausted, mailbox unusable).</summary>
    Failed,

    /// <summary>Refused by the receiving side, synchronously (5xx at SMTP) or later by a DSN.</summary>
    Bounced,

    /// <summary>A warm-up send held by an operator's pause; a resume plans it again.</summary>
    Held,

    /// <summary>Withdrawn before it was sent (warm-up stopped, or its window closed while paused).</summary>
    Cancelled,
}

/// <summary>The body of an outbound email, and its one-click unsubscribe URL (RFC 8058) when the sender has one.</summary>
public sealed record OutboundContent(string TextBody, string? HtmlBody, string? UnsubscribeUrl);

/// <summary>Identifies one ledger row: the sending mailbox, the day, and the send id.</summary>
public sealed record LedgerKey(string Mailbox, DateOnly Day, string SendId);

/// <summary>One row of the send ledger: the single source of truth about whether an email went out.</summary>
public sealed record LedgerEntry
{
    public required LedgerKey Key { get; init; }

    public required string PoolId { get; init; }

    public required SendKind Kind { get; init; }

    public required string Recipient { get; init; }

    public required string Subject { get; init; }

    public required DateTimeOffset ScheduledAt { get; init; }

    public SendState State { get; init; } = SendState.Planned;

    /// <summary>Assigned when the row is claimed for sending, before any byte goes out, so a redelivery can look for it.</summary>
    public string? MessageId { get; init; }

    /// <summary>The Message-ID this email answers (warm-up replies).</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The server's last reply: "250 2.0.0 Ok: queued as …" or the error text.</summary>
    public string? SmtpReply { get; init; }

    /// <summary>Enhanced status code (RFC 3463) of a bounce, synchronous or from a DSN.</summary>
    public string? BounceStatus { get; init; }

    public string? BounceDiagnostic { get; init; }

    /// <summary>Why the row is where it is, when the SMTP reply alone does not say (deferred by a cap, skipped recipient, poisoned job).</summary>
    public string? Reason { get; init; }

    /// <summary>For warm-up mail: how long after delivery the receiving peer answers it in-thread; null when it does not.</summary>
    public TimeSpan? ReplyAfter { get; init; }

    /// <summary>The message of an outbound send (warm-up content is generated from the send id instead).</summary>
    public OutboundContent? Content { get; init; }

    /// <summary>The recipient's provider as derived from its MX (google, microsoft, …), once known.</summary>
    public string? Provider { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Storage concurrency token; replacing a row with a stale one fails.</summary>
    public string? ETag { get; init; }
}
