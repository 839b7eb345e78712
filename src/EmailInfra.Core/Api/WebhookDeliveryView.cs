namespace EmailInfra.Core.Api;

/// <summary>One delivery of an event to an endpoint: its state, attempts and the endpoint's last answer.</summary>
public sealed record WebhookDeliveryView(string EventId, string Kind, string State, int Attempts, int? LastStatus, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
