namespace EmailInfra.Core.Api;

/// <summary>A scope's health: level, since when, the rules that hold it there, throttles and an operator's override.</summary>
public sealed record HealthView(string Scope, string Level, DateTimeOffset Since, IReadOnlyList<Health.HealthFinding> Findings, double ThrottleFactor, IReadOnlyDictionary<string, double> ProviderThrottles, Health.HealthOverride? Override, DateTimeOffset? EvaluatedAt);
