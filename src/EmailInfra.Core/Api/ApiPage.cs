namespace EmailInfra.Core.Api;

/// <summary>One page of a list: the items and, when there are more, the token to pass as ?after= for the next page.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? Next);
