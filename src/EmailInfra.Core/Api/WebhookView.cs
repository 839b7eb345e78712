namespace EmailInfra.Core.Api;

/// <summary>A webhook endpoint as the API shows it (never its secret).</summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt);
