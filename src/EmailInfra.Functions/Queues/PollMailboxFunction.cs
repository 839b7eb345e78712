using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Queues;

/// <summary>Polls one mailbox over IMAP per queue message.</summary>
public sealed class PollMailboxFunction(PollHandler handler)
{
    [Function(nameof(PollMailbox))]
    public Task PollMailbox([QueueTrigger("%" + QueueNames.PollJobsSetting + "%", Connection = StorageOptions.ConnectionName)] string message, CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
