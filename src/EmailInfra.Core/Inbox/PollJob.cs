using EmailInfra.Core.Jobs;

namespace EmailInfra.Core.Inbox;

/// <summary>Queue contract: poll one mailbox's monitored folders. Version 1.</summary>
public sealed record PollJob(int V, string PoolId, string Mailbox) : IJob
{
    public const int Version = 1;

    public static PollJob For(string poolId, string mailbox) => new(Version, poolId, mailbox);

    public static PollJob Parse(string text)
    {
        var job = JobSerializer.Deserialize<PollJob>(text, Version);
        if (string.IsNullOrWhiteSpace(job.PoolId) || string.IsNullOrWhiteSpace(job.Mailbox))
        {
            throw new MalformedJobException("PollJob needs poolId and mailbox");
        }

        return job;
    }
}
