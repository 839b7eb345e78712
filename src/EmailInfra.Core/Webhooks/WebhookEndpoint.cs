namespace EmailInfra.Core.Webhooks;

/// <summary>
/// A URL that receives signed event deliveries. Its signing secret lives in the secret store under <see cref="SecretName"/>
/// and is never read back through the API.
/// </summary>
public sealed record WebhookEndpoint(string Id, Uri Url, IReadOnlyList<string> Events, string SecretName, DateTimeOffset CreatedAt, string? Description = null)
{
    public bool Wants(string kind) => kind == WebhookEventKinds.Ping || Events.Contains(kind, StringComparer.Ordinal);
}
