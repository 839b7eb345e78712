namespace EmailInfra.Core.Api;

/// <summary>Changes to a sending pool.</summary>
public sealed record PoolUpdate(string? Description = null, string? TimeZone = null);
