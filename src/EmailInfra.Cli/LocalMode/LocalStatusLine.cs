using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Warmup;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// Every Local:StatusInterval (default one minute), one line: jobs waiting in the queues, mail sent on each mailbox's
/// current day, polls done, and the mailboxes that do not send. A failed read skips one line, never the host.
/// </summary>
public sealed partial class LocalStatusLine(
    IMailboxStore mailboxes,
    IMetricsStore metrics,
    SendingCalendar calendar,
    StorageClients storage,
    LocalActivity activity,
    TimeProvider time,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    ILogger<LocalStatusLine> logger) : BackgroundService
{
    private static readonly string[] JobQueues = [QueueNames.SendJobs, QueueNames.OutboundJobs, QueueNames.PollJobs, QueueNames.WebhookJobs];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.TryParse(configuration["Local:StatusInterval"], System.Globalization.CultureInfo.InvariantCulture, out var set) && set > TimeSpan.Zero
            ? set
            : TimeSpan.FromMinutes(1);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StorageOutage.IsOutage(ex) || ex is Azure.RequestFailedException)
            {
                // the workers report storage outages; the status line just waits for the next tick
            }
        }
    }

    public async Task WriteAsync(CancellationToken ct)
    {
        long queued = 0;
        foreach (var queue in JobQueues)
        {
            var client = await storage.QueueAsync(queue, ct).ConfigureAwait(false);
            queued += (await client.GetPropertiesAsync(ct).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        }

        var now = time.GetUtcNow();
        var pools = (await mailboxes.ListPoolsAsync(ct).ConfigureAwait(false)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var all = await mailboxes.ListAllAsync(ct).ConfigureAwait(false);
        long sent = 0;
        foreach (var mailbox in all)
        {
            var day = calendar.DayOf(now, pools.GetValueOrDefault(mailbox.PoolId), mailbox.PoolId);
            sent += (await metrics.GetAsync(mailbox.Address, day, ct).ConfigureAwait(false))[MailboxMetric.Sent];
        }

        var stopped = all.Where(m => !m.IsActive).Select(m => $"{m.Address} {m.State.ToString().ToLowerInvariant()}").ToList();
        Status(
            logger,
            queued,
            sent,
            activity.HandledOf(QueueNames.PollJobs),
            all.Count,
            stopped.Count == 0 ? "all sending" : $"{stopped.Count} not sending: " + string.Join(", ", stopped.Take(5)) + (stopped.Count > 5 ? ", ..." : string.Empty));
    }

    [LoggerMessage(9010, LogLevel.Information, "{Queued} jobs queued, {Sent} sent today, {Polls} polls since start; {Mailboxes} mailboxes, {Stopped}")]
    private static partial void Status(ILogger logger, long queued, long sent, long polls, int mailboxes, string stopped);
}
