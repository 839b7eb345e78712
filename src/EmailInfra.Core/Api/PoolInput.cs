namespace EmailInfra.Core.Api;

/// <summary>A sending pool to create: id (lower-case letters, digits, -), description, IANA or Windows time zone (default UTC).</summary>
public sealed record PoolInput(string Id, string? Description = null, string? TimeZone = null);
