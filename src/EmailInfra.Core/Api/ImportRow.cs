namespace EmailInfra.Core.Api;

/// <summary>One row of a CSV import: its line, the address, what happened (registered, paused, invalid, refused) and why.</summary>
public sealed record ImportRow(int Line, string? Address, string Outcome, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null);
