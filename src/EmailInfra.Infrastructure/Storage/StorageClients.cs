using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using EmailInfra.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>The table and queue clients of the storage account, created once and shared; tables and queues are created on first use.</summary>
public sealed class StorageClients
{
    private readonly TableServiceClient tables;
    private readonly QueueServiceClient queues;
    private readonly string prefix;
    private readonly IConfiguration configuration;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tableClients = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queueClients = new();

    public StorageClients(IConfiguration configuration, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        prefix = options.Value.NamePrefix;
        this.configuration = configuration;
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var section = configuration.GetSection(StorageOptions.ConnectionName);
        var connectionString = section.Value;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            tables = new TableServiceClient(connectionString);
            queues = new QueueServiceClient(connectionString, queueOptions);
            return;
        }

        // Identity-based connection, as Functions reads it: {name}__accountName or explicit service URIs.
        var account = section["accountName"];
        var tableUri = section["tableServiceUri"] ?? (account is null ? null : $"https://{account}.table.core.windows.net");
        var queueUri = section["queueServiceUri"] ?? (account is null ? null : $"https://{account}.queue.core.windows.net");
        if (tableUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{StorageOptions.ConnectionName}' to a connection string, or '{StorageOptions.ConnectionName}__accountName' for a managed identity.");
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
        tables = new TableServiceClient(new Uri(tableUri), credential);
        queues = new QueueServiceClient(new Uri(queueUri), credential, queueOptions);
    }

    /// <summary>
    /// The physical name of a logical queue: the app setting the Functions trigger binds (<see cref="QueueNames.SettingOf"/>)
    /// where it is set, so producer and trigger cannot disagree; otherwise the name with <see cref="StorageOptions.NamePrefix"/>.
    /// A poison queue follows its queue.
    /// </summary>
    public string QueueName(string logicalName)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalName);
        var poison = QueueNames.PoisonOf(string.Empty);
        if (logicalName.EndsWith(poison, StringComparison.Ordinal))
        {
            return QueueName(logicalName[..^poison.Length]) + poison;
        }

        if (QueueNames.SettingOf(logicalName) is { } setting && configuration[setting] is { Length: > 0 } bound)
        {
            return bound;
        }

        return prefix.Length == 0 ? logicalName : $"{prefix}-{logicalName}";
    }

    public Task<TableClient> TableAsync(string logicalName, CancellationToken cancellationToken) =>
        Once(tableClients, logicalName, async () =>
        {
            var client = tables.GetTableClient(prefix + logicalName);
            await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return client;
        });

    public Task<QueueClient> QueueAsync(string logicalName, CancellationToken cancellationToken) =>
        Once(queueClients, logicalName, async () =>
        {
            var client = queues.GetQueueClient(QueueName(logicalName));
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return client;
        });

    // Creation runs once per name; a failed creation (storage not up yet) is forgotten so the next call tries again.
    private static async Task<T> Once<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string name, Func<Task<T>> create)
    {
        var lazy = cache.GetOrAdd(name, _ => new Lazy<Task<T>>(create));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(name, lazy));
            throw;
        }
    }
}

/// <summary>Logical table names; see docs/storage.md for their keys.</summary>
internal static class TableNames
{
    public const string Domains = "Domains";
    public const string Mailboxes = "Mailboxes";
    public const string SendingPools = "SendingPools";
    public const string SendLedger = "SendLedger";
    public const string MessageIndex = "MessageIndex";
    public const string DailyMetrics = "DailyMetrics";
    public const string SyncState = "SyncState";
    public const string Suppressions = "Suppressions";
    public const string Counters = "Counters";
    public const string OutboundRequests = "OutboundRequests";
    public const string WarmupDays = "WarmupDays";
    public const string AuditReports = "AuditReports";
    public const string HealthEvents = "HealthEvents";
    public const string WebhookEndpoints = "WebhookEndpoints";
    public const string WebhookDeliveries = "WebhookDeliveries";
    public const string ConnectionStates = "ConnectionStates";
    public const string HealthStates = "HealthStates";
}
