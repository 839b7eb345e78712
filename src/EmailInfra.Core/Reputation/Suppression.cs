namespace EmailInfra.Core.Reputation;

/// <summary>One suppressed recipient: why (hard bounce, complaint, unsubscribe, operator), the evidence, and when.</summary>
public sealed record Suppression(string Address, string Reason, string Evidence, DateTimeOffset AddedAt);
