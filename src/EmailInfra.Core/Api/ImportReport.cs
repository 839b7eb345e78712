namespace EmailInfra.Core.Api;

/// <summary>What a CSV import did, row by row.</summary>
public sealed record ImportReport(int Rows, int Registered, int Paused, int Invalid, IReadOnlyList<ImportRow> Results);
