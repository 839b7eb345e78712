using EmailInfra.Core.Inbox;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Timers;

/// <summary>On the PollSchedule timer, queues one poll job per active mailbox, spread over the interval.</summary>
public sealed class SchedulePollsFunction(PollFanout fanout)
{
    /// <summary>The app setting holding the NCRONTAB schedule.</summary>
    public const string ScheduleSetting = "PollSchedule";

    [Function(nameof(SchedulePolls))]
    public Task SchedulePolls([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        fanout.RunAsync(cancellationToken);
}
