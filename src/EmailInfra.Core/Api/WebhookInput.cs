namespace EmailInfra.Core.Api;

/// <summary>A webhook endpoint to register: an https URL, the events it wants, and its signing secret (at least 32 characters; stored in the secret store, never returned).</summary>
public sealed record WebhookInput(string Url, IReadOnlyList<string> Events, string Secret, string? Description = null)
{
    public override string ToString() => "webhook " + Url;
}
