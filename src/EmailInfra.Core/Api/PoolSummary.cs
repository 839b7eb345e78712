using EmailInfra.Core.Health;

namespace EmailInfra.Core.Api;

/// <summary>A pool in the fleet overview; <see cref="Health"/> is null until the health rules first evaluated it.</summary>
public sealed record PoolSummary(string Id, string Description, int Mailboxes, HealthLevel? Health);
