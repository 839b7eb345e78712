using Cronos;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.LocalMode;

/// <summary>Runs a job on a six-field NCRONTAB schedule, the format of the Functions timer trigger.</summary>
/// <remarks>A firing that meets a storage outage is reported to <see cref="StorageAvailability"/> (logged once per outage), not as a failure per firing.</remarks>
public sealed class TimerJob(string name, string schedule, Func<CancellationToken, Task> run, TimeProvider time, StorageAvailability availability, ILogger<TimerJob> logger) : BackgroundService
{
    private readonly CronExpression expression = Parse(name, schedule);

    public static CronExpression Parse(string name, string schedule)
    {
        try
        {
            return CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"The schedule of {name} ('{schedule}') is not a six-field NCRONTAB expression: {ex.Message}", ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = expression.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now.UtcDateTime, time, stoppingToken);
                await run(stoppingToken);
                LocalLog.TimerFired(logger, name);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (StorageOutage.IsOutage(ex))
            {
                // the next firing tries again; what this one would have done is idempotent and redone then
                availability.Lost(name, ex);
            }
#pragma warning disable CA1031 // one failed firing must not stop the schedule, as with the Functions timer
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LocalLog.TimerFailed(logger, name, ex);
            }
        }
    }
}
