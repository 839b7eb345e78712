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

/// <summary>Where a send stands. Planned → Sending → Sent | Deferred | Failed | Bounced | Unverified.</summary>
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

    /// <summary>
    /// The server may have taken the message and nothing can tell whether it did (the connection broke in flight, or a worker
    /// died mid-send, and the message is not where a lookup can see it). Terminal: never sent again; counted as sent for caps.
    /// </summary>
    Unverified,
}

/// <summary>Where the copy of a sent message in the sender's Sent folder stands, for servers that do not keep one themselves.</summary>
public enum SentCopyState
{
    /// <summary>The server keeps submitted mail itself (Gmail, Microsoft 365), or the row was not sent.</summary>
    NotNeeded,

    /// <summary>Sent, the copy not stored yet: a later job appends it.</summary>
    Pending,
    Stored,

    /// <summary>The copy could not be stored after every try; the message itself went out.</summary>
    Abandoned,
}

/// <summary>The body of an outbound email, and its one-click unsubscribe URL (RFC 8058) when the sender has one.</summary>
public sealed record OutboundContent(string TextBody, string? HtmlBody, string? UnsubscribeUrl);

/// <summary>Whether a state is final: no job changes the row any more.</summary>
public static class SendStates
{
    public static bool IsTerminal(this SendState state) =>
        state is SendState.Sent or SendState.Bounced or SendState.Failed or SendState.Cancelled or SendState.Unverified;
}

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

    /// <summary>Claims of the row for sending, counting every try.</summary>
    public int Attempts { get; init; }

    /// <summary>Temporary (4xx) refusals by the server; <see cref="SendingOptions.MaxAttempts"/> of them fail the row.</summary>
    public int Refusals { get; init; }

    /// <summary>Identifies the worker's claim (a new one per claim); every write the claimer makes afterwards must find it unchanged.</summary>
    public string? ClaimToken { get; init; }

    /// <summary>When the row was last claimed, by the claimer's clock; also the message's Date header, so a recomposed copy matches.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>An attempt ended with an unknown outcome: the message may have been delivered, so its cap reservation is never given back.</summary>
    public bool MaybeDelivered { get; init; }

    public SentCopyState SentCopy { get; init; }

    public int SentCopyTries { get; init; }

    /// <summary>When the row's next job is due (planned time, or the end of a deferral): a row still unfinished well after it has lost its job.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Storage's own clock at the row's last write (not written by us): leases are judged on one clock, not on two instances'.</summary>
    public DateTimeOffset? StoredAt { get; init; }

    /// <summary>Storage's own clock when the row was read.</summary>
    public DateTimeOffset? ReadAt { get; init; }

    /// <summary>Storage concurrency token; replacing a row with a stale one fails.</summary>
    public string? ETag { get; init; }
}
