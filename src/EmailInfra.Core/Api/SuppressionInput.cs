namespace EmailInfra.Core.Api;

/// <summary>A recipient to suppress by hand, with the reason (e.g. unsubscribed, do-not-contact).</summary>
public sealed record SuppressionInput(string Reason, string? Evidence = null);
