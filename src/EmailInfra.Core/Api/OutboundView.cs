namespace EmailInfra.Core.Api;

/// <summary>An outbound request and where its send stands in the ledger.</summary>
public sealed record OutboundView(string Id, string Pool, string Recipient, string Subject, string State, DateTimeOffset NotBefore, string? Mailbox, DateOnly? Day, string? Reason, string? SendState, string? MessageId, string? BounceStatus);
