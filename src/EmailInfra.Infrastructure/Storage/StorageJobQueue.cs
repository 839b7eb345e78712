using EmailInfra.Core.Jobs;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Jobs on Azure Storage queues, base64-encoded as the Functions queue trigger expects by default.</summary>
public sealed class StorageJobQueue(StorageClients storage) : IJobQueue
{
    // The service refuses a visibility timeout beyond seven days.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task EnqueueAsync<TJob>(string queueName, TJob job, TimeSpan? visibilityDelay, CancellationToken cancellationToken)
        where TJob : IJob
    {
        var queue = await storage.QueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        var delay = visibilityDelay is { } d && d > TimeSpan.Zero ? (d > MaxDelay ? MaxDelay : d) : (TimeSpan?)null;
        await queue.SendMessageAsync(JobSerializer.Serialize(job), delay, TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
    }
}
