using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Queues;

/// <summary>Sends the email of one ledger row per queue message.</summary>
public sealed class SendEmailFunction(SendHandler handler)
{
    [Function(nameof(SendEmail))]
    public Task SendEmail([QueueTrigger("%" + QueueNames.SendJobsSetting + "%", Connection = StorageOptions.ConnectionName)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        handler.HandleAsync(message, TriggerMetadata.DequeueCount(context), cancellationToken);
}
