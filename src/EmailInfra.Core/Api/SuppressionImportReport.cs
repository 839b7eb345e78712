namespace EmailInfra.Core.Api;

/// <summary>What a suppression import did: rows read, addresses added, and the rows refused.</summary>
public sealed record SuppressionImportReport(int Rows, int Added, IReadOnlyList<ImportRow> Invalid);
