using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Health;

/// <summary>The health state of one scope (table HealthStates): its level since when, the findings that hold it there, and any operator override.</summary>
public sealed record HealthRecord(HealthScope Scope)
{
    public HealthLevel Level { get; init; }

    /// <summary>When <see cref="Level"/> last changed (the minimum hold counts from here).</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>The findings currently in force (every level above clear, and the provider throttles of a pool).</summary>
    public IReadOnlyList<HealthFinding> Findings { get; init; } = [];

    /// <summary>Share of the usual caps left while throttled (the strictest throttling finding's).</summary>
    public double ThrottleFactor { get; init; } = 1.0;

    /// <summary>A pool's reduced shares towards single recipient providers.</summary>
    public IReadOnlyDictionary<string, double> ProviderThrottles { get; init; } = new Dictionary<string, double>();

    public HealthOverride? Override { get; init; }

    /// <summary>Evidence before this instant is not read (set by an operator's resume).</summary>
    public DateTimeOffset? EvidenceSince { get; init; }

    /// <summary>The mailbox state to return to when the engine lifts its restriction (mailbox scopes only).</summary>
    public MailboxState? ResumeState { get; init; }

    public DateTimeOffset? EvaluatedAt { get; init; }

    /// <summary>The stored version, for optimistic concurrency between the evaluator and an operator.</summary>
    public string? ETag { get; init; }
}
