namespace EmailInfra.Core.Inbox;

/// <summary>What a received message is, as far as reputation is concerned.</summary>
public abstract record InboundVerdict;

/// <summary>A delivery status notification reporting failed recipients.</summary>
public sealed record BounceVerdict(IReadOnlyList<FailedRecipient> Recipients, string? OriginalMessageId) : InboundVerdict;

/// <summary>One recipient a DSN reports on.</summary>
public sealed record FailedRecipient(string Address, string? Status, string? Action, string? Diagnostic, string? RemoteMta)
{
    /// <summary>Permanent failure (status class 5): the recipient is suppressed.</summary>
    public bool IsHard => Status is { Length: > 0 } s && s[0] == '5';

    /// <summary>The DSN reports a final failure rather than a delay or a success.</summary>
    public bool IsFailure => string.Equals(Action, "failed", StringComparison.OrdinalIgnoreCase)
        || (Action is null && Status is { Length: > 0 } s && s[0] is '4' or '5');
}

/// <summary>Anything that is not a report: kept with the ids needed to link it to our sends.</summary>
public sealed record OrdinaryVerdict(string? MessageId, string? InReplyTo, IReadOnlyList<string> References) : InboundVerdict;

/// <summary>A message that could not be parsed; recorded and skipped.</summary>
public sealed record MalformedVerdict(string Reason) : InboundVerdict;
