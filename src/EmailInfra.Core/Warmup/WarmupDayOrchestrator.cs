using Microsoft.DurableTask;

namespace EmailInfra.Core.Warmup;

/// <summary>
/// One mailbox's warm-up day: plan (activity) → queue every send with its visibility delay (activity) → one durable timer
/// to the summary time, interruptible by pause/resume/stop events → summarise and decide tomorrow (activity).
/// Deterministic: the clock is the context's, and all I/O happens in activities.
/// </summary>
public sealed class WarmupDayOrchestrator : TaskOrchestrator<WarmupDayInput, WarmupDayResult>
{
    /// <summary>The external event that carries a <see cref="WarmupControlAction"/>.</summary>
    public const string ControlEvent = "WarmupControl";

    public override async Task<WarmupDayResult> RunAsync(TaskOrchestrationContext context, WarmupDayInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var plan = await context.CallActivityAsync<WarmupDayPlan>(nameof(PlanWarmupDay), input);
        if (plan.Planned > 0)
        {
            await context.CallActivityAsync<int>(nameof(EnqueueWarmupSends), input);
        }

        // One timer to the summary time; hosts that hold events back while a timer is pending get shorter slices (ControlCheck).
        var stopped = false;
        Task<WarmupControlAction>? control = null;
        while (!stopped && context.CurrentUtcDateTime < plan.SummaryAt.UtcDateTime)
        {
            var until = plan.ControlCheck > TimeSpan.Zero && context.CurrentUtcDateTime + plan.ControlCheck < plan.SummaryAt.UtcDateTime
                ? context.CurrentUtcDateTime + plan.ControlCheck
                : plan.SummaryAt.UtcDateTime;
            // The timer is left to expire rather than cancelled: cancelling a pending timer and then scheduling an activity
            // stalls the in-process engine, and a stray timer firing later costs one replay.
            var timer = context.CreateTimer(until, CancellationToken.None);
            control ??= context.WaitForExternalEvent<WarmupControlAction>(ControlEvent);
            await Task.WhenAny(timer, control);
            if (!control.IsCompleted)
            {
                continue;
            }

            var action = await control;
            control = null;
            await context.CallActivityAsync<int>(nameof(ControlWarmupSends), new WarmupControlRequest(input, action));
            stopped = action == WarmupControlAction.Stop;
        }

        return await context.CallActivityAsync<WarmupDayResult>(nameof(SummariseWarmupDay), new WarmupSummaryRequest(input, stopped));
    }
}

/// <summary>Activity: plan the day and write it into the ledger.</summary>
public sealed class PlanWarmupDay(WarmupDayService service) : TaskActivity<WarmupDayInput, WarmupDayPlan>
{
    public override Task<WarmupDayPlan> RunAsync(TaskActivityContext context, WarmupDayInput input) => service.PlanAsync(input, CancellationToken.None);
}

/// <summary>Activity: queue the day's planned sends, each invisible until its time.</summary>
public sealed class EnqueueWarmupSends(WarmupDayService service) : TaskActivity<WarmupDayInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, WarmupDayInput input) => service.EnqueueAsync(input, CancellationToken.None);
}

/// <summary>Activity: apply a pause, resume or stop to the sends not yet made.</summary>
public sealed class ControlWarmupSends(WarmupDayService service) : TaskActivity<WarmupControlRequest, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, WarmupControlRequest input) => service.ControlAsync(input, CancellationToken.None);
}

/// <summary>Activity: summarise the day and decide tomorrow's base volume.</summary>
public sealed class SummariseWarmupDay(WarmupDayService service) : TaskActivity<WarmupSummaryRequest, WarmupDayResult>
{
    public override Task<WarmupDayResult> RunAsync(TaskActivityContext context, WarmupSummaryRequest input) => service.SummariseAsync(input, CancellationToken.None);
}

/// <summary>Registers the warm-up day's orchestrator and activities with a Durable Task worker (local mode, tests).</summary>
public static class WarmupTasks
{
    public static DurableTaskRegistry AddWarmupTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<WarmupDayOrchestrator>()
            .AddActivity<PlanWarmupDay>()
            .AddActivity<EnqueueWarmupSends>()
            .AddActivity<ControlWarmupSends>()
            .AddActivity<SummariseWarmupDay>();
    }
}
