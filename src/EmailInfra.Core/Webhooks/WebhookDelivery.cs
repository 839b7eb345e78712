namespace EmailInfra.Core.Webhooks;

/// <summary>Where one event's delivery to one endpoint stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx: never delivered again.</summary>
    Delivered,

    /// <summary>Attempts exhausted, or the endpoint was deleted: recorded, not retried.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: the exact body signed and sent (so a retry sends the same bytes), attempts and their outcome.
/// <see cref="ClaimedUntil"/> is the lease of the worker attempting it, so two workers never post it at once.
/// </summary>
public sealed record WebhookDelivery
{
    public required string EndpointId { get; init; }

    public required string EventId { get; init; }

    public required string Kind { get; init; }

    public required string Payload { get; init; }

    public WebhookDeliveryState State { get; init; } = WebhookDeliveryState.Pending;

    public int Attempts { get; init; }

    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? ClaimedUntil { get; init; }

    public string? ETag { get; init; }
}
