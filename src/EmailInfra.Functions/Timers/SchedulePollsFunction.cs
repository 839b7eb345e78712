using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Timers;

/// <summary>On the PollSchedule timer, queues one poll job per active mailbox, spread over the interval.</summary>
public sealed class SchedulePollsFunction(PollFanout fanout)
{
    [Function(nameof(SchedulePolls))]
    public Task SchedulePolls([TimerTrigger("%" + TimerSchedules.PollSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        fanout.RunAsync(cancellationToken);
}
