using DurableTask.AzureStorage;
using DurableTask.Core;
using EmailInfra.Core.Warmup;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// Local mode's Durable Task engine: Durable Task Core on the Azure Storage backend (the one Durable Functions uses in Azure),
/// against local mode's storage (Azurite). Orchestration history lives in its tables and queues, so a day that was running
/// when the process died continues from its history when it starts again. The SDK's shims run the same orchestrator and
/// activity classes the Functions app runs.
/// </summary>
public sealed partial class LocalDurableEngine : IHostedService, IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubWorker worker;
    private readonly ILogger<LocalDurableEngine> logger;
    private readonly string hubName;

    public LocalDurableEngine(IConfiguration configuration, IServiceProvider services, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connection = configuration[Infrastructure.Storage.StorageOptions.ConnectionName];
        if (string.IsNullOrWhiteSpace(connection) || !connection.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) && !connection.Contains("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Local mode's warm-up engine needs {Infrastructure.Storage.StorageOptions.ConnectionName} as a connection string.");
        }

        // one task hub per table/queue name prefix, so test runs and installs sharing one Azurite never share histories
        hubName = "EmailInfra" + new string((configuration["Storage:NamePrefix"] ?? string.Empty).Where(char.IsAsciiLetterOrDigit).ToArray());
        hubName = hubName.Length > 45 ? hubName[..45] : hubName;
        var quiet = NullLoggerFactory.Instance; // the engine's own request and partition logs are framework noise here
        service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            TaskHubName = hubName,
            PartitionCount = 1, // one machine: one control queue to poll
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = quiet,
        });
        var converter = JsonDataConverter.Default;
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = converter }, quiet);
        worker = new TaskHubWorker(service, quiet);
        worker.AddTaskOrchestrations(new TaskCreator<TaskOrchestration>(nameof(WarmupDayOrchestrator), () => shims.CreateOrchestration(nameof(WarmupDayOrchestrator), new WarmupDayOrchestrator())));
        foreach (var activity in new[] { typeof(PlanWarmupDay), typeof(EnqueueWarmupSends), typeof(ControlWarmupSends), typeof(SummariseWarmupDay) })
        {
            worker.AddTaskActivities(new TaskCreator<TaskActivity>(activity.Name, () => shims.CreateActivity(activity.Name, (ITaskActivity)ActivatorUtilities.CreateInstance(services, activity))));
        }

        Client = new LocalDurableClient(new TaskHubClient(service, new SdkDataConverter(converter), quiet), converter);
        logger = loggers.CreateLogger<LocalDurableEngine>();
    }

    /// <summary>The client the warm-up timer and the admin API start and steer days with.</summary>
    public DurableTaskClient Client { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        await worker.StartAsync().ConfigureAwait(false);
        Started(logger, hubName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => worker.StopAsync(isForced: false);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        worker.Dispose();
    }

    [LoggerMessage(7301, LogLevel.Information, "Warm-up engine: Durable Task on Azure Storage, task hub {Hub}")]
    private static partial void Started(ILogger logger, string hub);
}
