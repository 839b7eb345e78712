using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using EmailInfra.Core.Jobs;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// Consumes one queue with the Functions queue-trigger semantics: a lease while handling, delete on success,
/// a retry after the visibility timeout on failure, the poison queue after the last try.
/// </summary>
/// <remarks>
/// Nothing but shutdown ends the loop: an exception escaping a <see cref="BackgroundService"/> stops the whole host, so a
/// storage outage longer than the SDK's retries (about 20 s) used to end <c>emailinfra run</c>. An outage is waited out
/// with a growing back-off and logged once through <see cref="StorageAvailability"/>; a job that failed only because
/// storage was down is not counted toward the poison queue, since it says nothing about the job.
/// </remarks>
public sealed class QueueWorker(
    string queueName,
    Func<string, long, CancellationToken, Task> handle,
    StorageClients storage,
    IOptions<LocalQueueOptions> options,
    StorageAvailability availability,
    ILogger<QueueWorker> logger) : BackgroundService
{
    public string QueueName => queueName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var opts = options.Value;
        var idle = TimeSpan.FromMilliseconds(100);
        QueueClient? queue = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queue ??= await storage.QueueAsync(queueName, stoppingToken);
                var batch = (await queue.ReceiveMessagesAsync(opts.Concurrency, opts.Lease, stoppingToken)).Value;
                availability.Answered();
                if (batch.Length == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, opts.MaxPollingInterval.Ticks));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(100);
                // Handling is not cancelled by shutdown: a send half-done is worse than a shutdown a few seconds late.
                await Task.WhenAll(batch.Select(m => HandleOneAsync(queue, m, opts)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (StorageOutage.IsOutage(ex))
            {
                await PauseAsync(availability.Lost(queueName, ex), stoppingToken);
            }
#pragma warning disable CA1031 // the worker outlives any one failure: a stopped worker would stop the whole system
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LocalLog.WorkerFailed(logger, queueName, ex);
                await PauseAsync(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private static Task PauseAsync(TimeSpan wait, CancellationToken stoppingToken) =>
        Task.Delay(wait, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>Handles one message and settles it (delete, retry or poison); never throws, so one message cannot stop the batch.</summary>
    private async Task HandleOneAsync(QueueClient queue, QueueMessage message, LocalQueueOptions opts)
    {
        try
        {
            await handle(message.MessageText, message.DequeueCount, CancellationToken.None);
        }
#pragma warning disable CA1031 // a failed job must never stop the worker: it is retried, then poisoned
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await SettleFailureAsync(queue, message, opts, ex);
            return;
        }

        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception ex) when (StorageOutage.IsOutage(ex) || ex is Azure.RequestFailedException)
        {
            // the message comes back after its lease and is handled again: every handler is idempotent (the send
            // ledger, the poll sync state), so a job done but not deleted is a repeat that does nothing
            availability.Lost(queueName, ex);
        }
    }

    private async Task SettleFailureAsync(QueueClient queue, QueueMessage message, LocalQueueOptions opts, Exception failure)
    {
        try
        {
            if (StorageOutage.IsOutage(failure))
            {
                // not the job's fault: try again once storage answers, however many times this happens
                availability.Lost(queueName, failure);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: opts.RetryVisibility, cancellationToken: CancellationToken.None);
            }
            else if (message.DequeueCount >= opts.MaxDequeueCount)
            {
                var poison = await storage.QueueAsync(QueueNames.PoisonOf(queueName), CancellationToken.None);
                await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                LocalLog.Poisoned(logger, queueName, message.MessageId, message.DequeueCount, failure);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: opts.RetryVisibility, cancellationToken: CancellationToken.None);
                LocalLog.WillRetry(logger, queueName, message.MessageId, message.DequeueCount, failure);
            }
        }
        catch (Exception ex) when (StorageOutage.IsOutage(ex) || ex is Azure.RequestFailedException)
        {
            // storage went away while settling: the message stays invisible until its lease ends, then is tried again
            availability.Lost(queueName, ex);
        }
    }
}
