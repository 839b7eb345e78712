using System.Text.Json;
using EmailInfra.Core.Jobs;

namespace EmailInfra.Core.Webhooks;

/// <summary>
/// Publishes an event to every endpoint subscribed to its kind: one delivery row per endpoint and event (its body fixed now),
/// then one queue job to attempt it. An event published again (a poll that repeats after a crash) finds its rows and queues
/// nothing: an event is delivered to an endpoint once.
/// </summary>
public sealed class WebhookPublisher(IWebhookStore store, IJobQueue queue, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long an unattempted delivery waits before a second publish takes it for stranded and queues it again.</summary>
    public static readonly TimeSpan StrandedAfter = TimeSpan.FromMinutes(1);

    public async Task<int> PublishAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var endpoints = await store.ListEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var queued = 0;
        foreach (var endpoint in endpoints.Where(e => e.Wants(webhookEvent.Kind)))
        {
            queued += await PublishToAsync(endpoint, webhookEvent, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return queued;
    }

    /// <summary>Queues the event for one endpoint (a test ping, or a subscriber); false when it was queued before.</summary>
    public async Task<bool> PublishToAsync(WebhookEndpoint endpoint, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var payload = JsonSerializer.Serialize(new { id = webhookEvent.Id, type = webhookEvent.Kind, createdAt = webhookEvent.At, data = webhookEvent.Data }, Json);
        var delivery = new WebhookDelivery { EndpointId = endpoint.Id, EventId = webhookEvent.Id, Kind = webhookEvent.Kind, Payload = payload, CreatedAt = time.GetUtcNow() };
        if (!await store.TryAddDeliveryAsync(delivery, cancellationToken).ConfigureAwait(false))
        {
            // Published before. If that publisher died between the row and the job, the row stays pending without a job: a
            // row still unattempted a minute later is queued again (the dispatcher's claim keeps two jobs from posting twice).
            var existing = await store.GetDeliveryAsync(endpoint.Id, webhookEvent.Id, cancellationToken).ConfigureAwait(false);
            if (existing is not { State: WebhookDeliveryState.Pending, Attempts: 0 } || time.GetUtcNow() - existing.CreatedAt < StrandedAfter)
            {
                return false;
            }
        }

        await queue.EnqueueAsync(QueueNames.WebhookJobs, new WebhookJob(WebhookJob.Version, endpoint.Id, webhookEvent.Id), null, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
