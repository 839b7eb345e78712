using EmailInfra.Core.Jobs;
using EmailInfra.Core.Warmup;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EmailInfra.Functions.Warmup;

/// <summary>
/// Hand-written Durable Functions wrappers (the Durable Task source generator is not available here): each one hands its
/// trigger to the shared orchestrator or activity logic in Core.
/// </summary>
public sealed class WarmupFunctions(WarmupDayService service, WarmupDayStarter starter)
{
    /// <summary>On the WarmupSchedule timer, starts the day of every active mailbox whose sending day has begun.</summary>
    [Function(nameof(StartWarmupDays))]
    public Task StartWarmupDays(
        [TimerTrigger("%" + TimerSchedules.WarmupSchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        starter.StartDueAsync(client, cancellationToken);

    [Function(nameof(WarmupDayOrchestrator))]
    public static Task<WarmupDayResult> RunWarmupDay([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new WarmupDayOrchestrator().RunAsync(context, context.GetInput<WarmupDayInput>()!);

    [Function(nameof(PlanWarmupDay))]
    public Task<WarmupDayPlan> PlanWarmupDay([ActivityTrigger] WarmupDayInput input, CancellationToken cancellationToken) =>
        service.PlanAsync(input, cancellationToken);

    [Function(nameof(EnqueueWarmupSends))]
    public Task<int> EnqueueWarmupSends([ActivityTrigger] WarmupDayInput input, CancellationToken cancellationToken) =>
        service.EnqueueAsync(input, cancellationToken);

    [Function(nameof(ControlWarmupSends))]
    public Task<int> ControlWarmupSends([ActivityTrigger] WarmupControlRequest input, CancellationToken cancellationToken) =>
        service.ControlAsync(input, cancellationToken);

    [Function(nameof(SummariseWarmupDay))]
    public Task<WarmupDayResult> SummariseWarmupDay([ActivityTrigger] WarmupSummaryRequest input, CancellationToken cancellationToken) =>
        service.SummariseAsync(input, cancellationToken);
}
