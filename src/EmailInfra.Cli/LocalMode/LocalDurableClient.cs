using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// The SDK's <see cref="DurableTaskClient"/> over Durable Task Core's <see cref="TaskHubClient"/>, so the Core code that
/// starts days and raises their events (WarmupDayStarter, WarmupControl, the admin API) runs unchanged on local mode's
/// Azure Storage engine. Bulk queries and purges, which EmailInfra does not use, are refused with NotSupportedException.
/// </summary>
internal sealed class LocalDurableClient(TaskHubClient hub, Microsoft.DurableTask.DataConverter converter) : DurableTaskClient("local")
{
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = options?.StartAt is { } at && at > DateTimeOffset.UtcNow
            ? await hub.CreateScheduledOrchestrationInstanceAsync(orchestratorName.Name, string.Empty, id, input, at.UtcDateTime).ConfigureAwait(false)
            : await hub.CreateOrchestrationInstanceAsync(orchestratorName.Name, string.Empty, id, input).ConfigureAwait(false);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        hub.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, eventPayload!); // a null payload is sent as JSON null

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { RuntimeStatus: not OrchestrationRuntimeStatus.Pending } started)
            {
                return started;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation).ConfigureAwait(false);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { IsCompleted: true } done)
            {
                return done;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation).ConfigureAwait(false);
        }
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        hub.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, options?.Output?.ToString() ?? "terminated");

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        hub.SuspendInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        hub.ResumeInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await hub.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        return new OrchestrationMetadata(state.Name, state.OrchestrationInstance.InstanceId)
        {
            RuntimeStatus = Status(state.OrchestrationStatus),
            CreatedAt = state.CreatedTime,
            LastUpdatedAt = state.LastUpdatedTime,
            SerializedInput = getInputsAndOutputs ? state.Input : null,
            SerializedOutput = getInputsAndOutputs && state.OrchestrationStatus != CoreStatus.Failed ? state.Output : null,
            SerializedCustomStatus = getInputsAndOutputs ? state.Status : null,
            FailureDetails = state.FailureDetails is { } f ? new TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, null, null) : null,
            DataConverter = converter,
        };
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        throw new NotSupportedException("Listing all instances is not used by EmailInfra's local mode.");

    public override Task<Microsoft.DurableTask.Client.PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Purging is not used by EmailInfra's local mode.");

    public override Task<Microsoft.DurableTask.Client.PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Purging is not used by EmailInfra's local mode.");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OrchestrationRuntimeStatus Status(CoreStatus status) => status switch
    {
        CoreStatus.Running => OrchestrationRuntimeStatus.Running,
        CoreStatus.Completed => OrchestrationRuntimeStatus.Completed,
        CoreStatus.ContinuedAsNew => OrchestrationRuntimeStatus.Running, // a new generation of the same instance is starting
        CoreStatus.Failed => OrchestrationRuntimeStatus.Failed,
        CoreStatus.Canceled => OrchestrationRuntimeStatus.Terminated, // the SDK no longer reports Canceled
        CoreStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        CoreStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
        _ => OrchestrationRuntimeStatus.Pending,
    };
}
