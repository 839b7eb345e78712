namespace EmailInfra.Core.Health;

/// <summary>An operator's decision on a scope: the level set, who set it, when and why.</summary>
/// <remarks>
/// A restricting override (throttled, paused, retired) is a floor: the rules may make the scope worse, never better than it.
/// A resume (clear) starts the evidence afresh: the rules read only what happened after it, so the same complaints do not
/// pause the scope again at the next evaluation, and new ones still can.
/// </remarks>
public sealed record HealthOverride(HealthLevel Level, string Actor, DateTimeOffset At, string? Note);
