namespace EmailInfra.Core.Health;

/// <summary>What one pass of the health rules did.</summary>
public sealed record HealthEvaluation(int Scopes, int Changed, int MailboxesUpdated);
