namespace EmailInfra.Core.Api;

/// <summary>A sending pool as the API shows it.</summary>
public sealed record PoolView(string Id, string Description, string TimeZone, DateTimeOffset CreatedAt, int Mailboxes);
