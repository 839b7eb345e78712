namespace EmailInfra.Core.Jobs;

/// <summary>Names of the work queues. Function triggers and the local host consume the same names.</summary>
public static class QueueNames
{
    /// <summary>One message per email to send (<see cref="Sending.SendJob"/>).</summary>
    public const string SendJobs = "send-jobs";

    /// <summary>One message per outbound request addressed to a pool: pick the mailbox, then plan its send (<see cref="Sending.OutboundJob"/>).</summary>
    public const string OutboundJobs = "outbound-jobs";

    /// <summary>One message per mailbox to poll (<see cref="Inbox.PollJob"/>).</summary>
    public const string PollJobs = "poll-jobs";

    /// <summary>Where a job goes after its last failed try (the Functions convention).</summary>
    public static string PoisonOf(string queue) => queue + "-poison";
}

/// <summary>Puts small JSON job messages on a queue, optionally invisible until a delay has passed.</summary>
public interface IJobQueue
{
    Task EnqueueAsync<TJob>(string queueName, TJob job, TimeSpan? visibilityDelay, CancellationToken cancellationToken)
        where TJob : IJob;
}

/// <summary>A queue message contract: a small, versioned record carrying ids, never message bodies.</summary>
public interface IJob
{
    /// <summary>Contract version; a consumer refuses versions it does not know.</summary>
    int V { get; }
}
