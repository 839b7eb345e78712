namespace EmailInfra.Core.Webhooks;

/// <summary>What an endpoint answered: a status, or why there was none (connection refused, timeout, TLS).</summary>
public sealed record WebhookResponse(int? Status, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
