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
public sealed class QueueWorker(
    string queueName,
    Func<string, long, CancellationToken, Task> handle,
    StorageClients storage,
    IOptions<LocalQueueOptions> options,
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
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException)
            {
                LocalLog.QueueUnavailable(logger, queueName, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task HandleOneAsync(QueueClient queue, QueueMessage message, LocalQueueOptions opts)
    {
        try
        {
            await handle(message.MessageText, message.DequeueCount, CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
#pragma warning disable CA1031 // a failed job must never stop the worker: it is retried, then poisoned
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (message.DequeueCount >= opts.MaxDequeueCount)
            {
                var poison = await storage.QueueAsync(QueueNames.PoisonOf(queueName), CancellationToken.None);
                await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                LocalLog.Poisoned(logger, queueName, message.MessageId, message.DequeueCount, ex);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: opts.RetryVisibility, cancellationToken: CancellationToken.None);
                LocalLog.WillRetry(logger, queueName, message.MessageId, message.DequeueCount, ex);
            }
        }
    }
}
