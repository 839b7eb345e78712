using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Queues;

/// <summary>Picks the sending mailbox of an outbound request addressed to a pool, and plans its send.</summary>
public sealed class DispatchOutboundFunction(OutboundDispatcher dispatcher)
{
    [Function(nameof(DispatchOutbound))]
    public Task DispatchOutbound([QueueTrigger("%" + QueueNames.OutboundJobsSetting + "%", Connection = StorageOptions.ConnectionName)] string message, CancellationToken cancellationToken) =>
        dispatcher.HandleAsync(message, cancellationToken);
}
