using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Timers;

/// <summary>On the SweepSchedule timer, queues a job again for every unfinished send that has lost its own.</summary>
public sealed class SweepStrandedSendsFunction(StrandedSends stranded)
{
    [Function(nameof(SweepStrandedSends))]
    public Task SweepStrandedSends([TimerTrigger("%" + TimerSchedules.SweepSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        stranded.SweepAsync(cancellationToken);
}
