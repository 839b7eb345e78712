using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Webhooks;

/// <summary>Log lines of webhook delivery (event ids 7201-7203). URLs and secrets are never logged: the endpoint's id names it.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(7201, LogLevel.Information, "Webhook {Kind} event {EventId} delivered to endpoint {Endpoint} (attempt {Attempt})")]
    public static partial void Delivered(ILogger logger, string kind, string eventId, string endpoint, int attempt);

    [LoggerMessage(7202, LogLevel.Warning, "Webhook {Kind} event {EventId} to endpoint {Endpoint}: attempt {Attempt} failed ({Error}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string kind, string eventId, string endpoint, int attempt, string error, TimeSpan delay);

    [LoggerMessage(7203, LogLevel.Error, "Webhook {Kind} event {EventId} to endpoint {Endpoint}: gave up after {Attempts} attempts ({Error}); recorded as failed")]
    public static partial void GaveUp(ILogger logger, string kind, string eventId, string endpoint, int attempts, string error);
}
