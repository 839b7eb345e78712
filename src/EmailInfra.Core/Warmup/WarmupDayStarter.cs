using EmailInfra.Core.Mailboxes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Warmup;

/// <summary>What one run of the warm-up timer did.</summary>
public sealed record WarmupStartSummary(int Started, int Existing, int Closed);

/// <summary>Starts one warm-up day orchestration per active mailbox whose sending day has begun, at most once per mailbox and day.</summary>
public sealed class WarmupDayStarter(IMailboxStore mailboxes, SendingCalendar calendar, TimeProvider time, ILogger<WarmupDayStarter> logger)
{
    public async Task<WarmupStartSummary> StartDueAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var pools = new Dictionary<string, SendingPool?>(StringComparer.Ordinal);
        int started = 0, existing = 0, closed = 0;
        foreach (var mailbox in await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!mailbox.IsActive)
            {
                continue;
            }

            if (!pools.TryGetValue(mailbox.PoolId, out var pool))
            {
                pools[mailbox.PoolId] = pool = await mailboxes.GetPoolAsync(mailbox.PoolId, cancellationToken).ConfigureAwait(false);
            }

            if (pool is null)
            {
                continue;
            }

            var day = calendar.DayOf(now, pool);
            if (now >= calendar.WindowOf(day, pool).End)
            {
                closed++; // nothing can be sent today any more; tomorrow's plan holds the ramp where it was
                continue;
            }

            if (await TryStartAsync(client, new WarmupDayInput(mailbox.Address, mailbox.PoolId, day), cancellationToken).ConfigureAwait(false))
            {
                started++;
            }
            else
            {
                existing++;
            }
        }

        WarmupLog.Started(logger, started, existing, closed);
        return new WarmupStartSummary(started, existing, closed);
    }

    /// <summary>Starts the day's orchestration under its deterministic id; false when an instance with that id exists (in any state).</summary>
    public static async Task<bool> TryStartAsync(DurableTaskClient client, WarmupDayInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);

        // Backends may allow re-creating a completed instance: look first, so a finished day is never run again.
        if (await client.GetInstanceAsync(input.InstanceId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(WarmupDayOrchestrator), input, new StartOrchestrationOptions(input.InstanceId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(input.InstanceId, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false; // another starter won the race for the same id
            }

            throw;
        }
    }
}
