using EmailInfra.Core.Health;
using EmailInfra.Core.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Timers;

/// <summary>On the HealthSchedule timer, evaluates the health rules over every mailbox, domain and pool and applies the verdicts.</summary>
public sealed class EvaluateHealthFunction(HealthService health)
{
    [Function(nameof(EvaluateHealth))]
    public Task EvaluateHealth([TimerTrigger("%" + TimerSchedules.HealthSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        health.EvaluateAllAsync(cancellationToken);
}
