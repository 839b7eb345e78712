namespace EmailInfra.Core.Webhooks;

/// <summary>Webhook endpoints and their deliveries (one row per endpoint and event).</summary>
public interface IWebhookStore
{
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken);

    Task<WebhookEndpoint?> GetEndpointAsync(string id, CancellationToken cancellationToken);

    Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds the delivery unless one for the same endpoint and event exists; false then (the event was published before).</summary>
    Task<bool> TryAddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string eventId, CancellationToken cancellationToken);

    /// <summary>Replaces the delivery if its ETag still matches; null when another worker changed it first.</summary>
    Task<WebhookDelivery?> TryReplaceDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The endpoint's deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int take, CancellationToken cancellationToken);
}
