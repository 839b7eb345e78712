namespace EmailInfra.Core.Health;

/// <summary>
/// One rule's verdict on a scope: the level it asks for and the evidence (the numbers, the window, the threshold).
/// <see cref="Key"/> is the rule id, or "rule:provider" for a rule that acts on the pool towards one recipient provider.
/// </summary>
public sealed record HealthFinding(string Key, string Rule, HealthLevel Level, string Evidence, string? Provider = null, double ThrottleFactor = 1.0);
