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

    /// <summary>One message per webhook delivery attempt (<see cref="Webhooks.WebhookJob"/>).</summary>
    public const string WebhookJobs = "webhook-jobs";

    /// <summary>Where a job goes after its last failed try (the Functions convention).</summary>
    public static string PoisonOf(string queue) => queue + "-poison";

    // The app settings holding each queue's physical name. The Functions triggers bind them as %SendJobsQueue% and so
    // on, and the producers read the same settings (StorageClients.QueueName), so both sides always use one name:
    // before, the triggers bound the bare names while producers added Storage:NamePrefix, and with a prefix set the
    // triggers would have listened on queues nobody writes.

    /// <summary>App setting with the physical name of <see cref="SendJobs"/>.</summary>
    public const string SendJobsSetting = "SendJobsQueue";

    /// <summary>App setting with the physical name of <see cref="OutboundJobs"/>.</summary>
    public const string OutboundJobsSetting = "OutboundJobsQueue";

    /// <summary>App setting with the physical name of <see cref="PollJobs"/>.</summary>
    public const string PollJobsSetting = "PollJobsQueue";

    /// <summary>App setting with the physical name of <see cref="WebhookJobs"/>.</summary>
    public const string WebhookJobsSetting = "WebhookJobsQueue";

    /// <summary>The app setting naming the physical queue of a logical queue, or null for a queue no trigger binds.</summary>
    public static string? SettingOf(string queue) => queue switch
    {
        SendJobs => SendJobsSetting,
        OutboundJobs => OutboundJobsSetting,
        PollJobs => PollJobsSetting,
        WebhookJobs => WebhookJobsSetting,
        _ => null,
    };
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
