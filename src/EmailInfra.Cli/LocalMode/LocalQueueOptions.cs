using System.ComponentModel.DataAnnotations;

namespace EmailInfra.Cli.LocalMode;

/// <summary>Queue consumption in local mode, mirroring the Functions queue extension (host.json). Section "LocalQueues".</summary>
public sealed class LocalQueueOptions
{
    public const string Section = "LocalQueues";

    /// <summary>Tries before a message goes to the poison queue (host.json maxDequeueCount).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before its next try (host.json visibilityTimeout).</summary>
    public TimeSpan RetryVisibility { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a message is hidden from other consumers while it is being handled.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait between polls of an empty queue (host.json maxPollingInterval).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages handled at once per queue.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;
}
