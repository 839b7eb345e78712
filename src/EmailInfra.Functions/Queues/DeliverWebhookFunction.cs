using EmailInfra.Core.Jobs;
using EmailInfra.Core.Webhooks;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Queues;

/// <summary>Attempts one webhook delivery; a failed attempt is re-queued with its back-off by the dispatcher, not by the host.</summary>
public sealed class DeliverWebhookFunction(WebhookDispatcher dispatcher)
{
    [Function(nameof(DeliverWebhook))]
    public Task DeliverWebhook([QueueTrigger("%" + QueueNames.WebhookJobsSetting + "%", Connection = StorageOptions.ConnectionName)] string message, CancellationToken cancellationToken) =>
        dispatcher.HandleAsync(message, cancellationToken);
}
