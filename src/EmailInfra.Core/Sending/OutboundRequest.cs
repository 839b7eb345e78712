using EmailInfra.Core.Jobs;

namespace EmailInfra.Core.Sending;

/// <summary>Where an outbound request stands before it becomes a ledger row.</summary>
public enum OutboundState
{
    /// <summary>Waiting for a mailbox of the pool with capacity left.</summary>
    Pending,

    /// <summary>A mailbox was chosen; the ledger row (mailbox, day, request id) carries the send from here.</summary>
    Assigned,

    /// <summary>The recipient failed list hygiene: recorded, never sent to.</summary>
    Rejected,
}

/// <summary>An outbound email addressed to a sending pool (or one mailbox of it), before a mailbox is chosen.</summary>
public sealed record OutboundRequest
{
    public required string Id { get; init; }

    public required string PoolId { get; init; }

    /// <summary>A mailbox the sender insists on; otherwise the pool rotates.</summary>
    public string? Mailbox { get; init; }

    public required string Recipient { get; init; }

    public required string Subject { get; init; }

    public required OutboundContent Content { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public OutboundState State { get; init; } = OutboundState.Pending;

    public string? AssignedMailbox { get; init; }

    public DateOnly? AssignedDay { get; init; }

    public string? Reason { get; init; }

    public string? ETag { get; init; }
}

/// <summary>Persistence of outbound requests (partition = pool, row = request id).</summary>
public interface IOutboundRequests
{
    Task<bool> TryAddAsync(OutboundRequest request, CancellationToken cancellationToken);

    Task<OutboundRequest?> GetAsync(string poolId, string id, CancellationToken cancellationToken);

    /// <summary>Replaces the request if its ETag still matches; null if another dispatcher changed it first.</summary>
    Task<OutboundRequest?> TryReplaceAsync(OutboundRequest request, CancellationToken cancellationToken);
}

/// <summary>Queue contract: dispatch one outbound request. Version 1.</summary>
public sealed record OutboundJob(int V, string PoolId, string RequestId) : IJob
{
    public const int Version = 1;

    public static OutboundJob For(OutboundRequest request) => new(Version, request.PoolId, request.Id);

    public static OutboundJob Parse(string text)
    {
        var job = JobSerializer.Deserialize<OutboundJob>(text, Version);
        if (string.IsNullOrWhiteSpace(job.PoolId) || string.IsNullOrWhiteSpace(job.RequestId))
        {
            throw new MalformedJobException("OutboundJob needs poolId and requestId");
        }

        return job;
    }
}
