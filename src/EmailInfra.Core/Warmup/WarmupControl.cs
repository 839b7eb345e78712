using EmailInfra.Core.Mailboxes;
using Microsoft.DurableTask.Client;

namespace EmailInfra.Core.Warmup;

/// <summary>
/// An operator's warm-up action on mailboxes' current days: start today's day now (not waiting for the timer), or pause,
/// resume or stop it by raising the day orchestration's control event. A pause lasts for the day; to keep a mailbox from
/// warming up tomorrow too, pause it through the health override.
/// </summary>
public sealed class WarmupControl(IMailboxStore mailboxes, SendingCalendar calendar, TimeProvider time)
{
    /// <summary>Applies the action ("start", "pause", "resume", "stop") to each mailbox and says what happened to each.</summary>
    public async Task<IReadOnlyList<WarmupControlOutcome>> ApplyAsync(DurableTaskClient client, IReadOnlyList<Mailbox> targets, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(targets);
        var control = action switch
        {
            "start" => (WarmupControlAction?)null,
            "pause" => WarmupControlAction.Pause,
            "resume" => WarmupControlAction.Resume,
            "stop" => WarmupControlAction.Stop,
            _ => throw new InvalidRequestException("action", "must be start, pause, resume or stop"),
        };
        var now = time.GetUtcNow();
        var outcomes = new List<WarmupControlOutcome>();
        foreach (var mailbox in targets)
        {
            var pool = await mailboxes.GetPoolAsync(mailbox.PoolId, cancellationToken).ConfigureAwait(false);
            if (pool is null)
            {
                outcomes.Add(new(mailbox.Address, null, "skipped", $"pool {mailbox.PoolId} is not registered"));
                continue;
            }

            var day = calendar.DayOf(now, pool);
            var input = new WarmupDayInput(mailbox.Address, mailbox.PoolId, day);
            var instance = await client.GetInstanceAsync(input.InstanceId, cancellationToken).ConfigureAwait(false);
            if (control is null)
            {
                outcomes.Add(!mailbox.IsActive ? new(mailbox.Address, day, "skipped", $"the mailbox is {mailbox.State.ToString().ToLowerInvariant()}")
                    : now >= calendar.WindowOf(day, pool).End ? new(mailbox.Address, day, "skipped", "today's sending window has closed; tomorrow's day starts with the warm-up timer")
                    : await WarmupDayStarter.TryStartAsync(client, input, cancellationToken).ConfigureAwait(false) ? new(mailbox.Address, day, "started", input.InstanceId)
                    : new(mailbox.Address, day, "unchanged", "today's day was already started"));
                continue;
            }

            // a day just scheduled is still pending: its events wait in its history for it
            if (instance is null || instance.IsCompleted)
            {
                outcomes.Add(new(mailbox.Address, day, "skipped", instance is null ? "no warm-up day is running today" : $"today's day is {instance.RuntimeStatus.ToString().ToLowerInvariant()}"));
                continue;
            }

            await client.RaiseEventAsync(input.InstanceId, WarmupDayOrchestrator.ControlEvent, control.Value, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new(mailbox.Address, day, Past(action), input.InstanceId));
        }

        return outcomes;
    }

    private static string Past(string action) => action switch
    {
        "pause" => "paused",
        "resume" => "resumed",
        "stop" => "stopped",
        _ => action,
    };
}
