namespace EmailInfra.Core.Api;

/// <summary>One day's counts (metric name to count) and the breakdowns by provider and reason.</summary>
public sealed record MetricDay(DateOnly Day, IReadOnlyDictionary<string, long> Counts, IReadOnlyDictionary<string, long> Breakdown);
