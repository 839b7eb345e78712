namespace EmailInfra.Core.Api;

/// <summary>An email to send through a pool (the pool's healthiest mailbox with capacity sends it) or from one mailbox.</summary>
public sealed record OutboundInput(string To, string Subject, string Text, string? Pool = null, string? Mailbox = null, string? Html = null, string? UnsubscribeUrl = null, DateTimeOffset? NotBefore = null, string? Id = null);
