namespace EmailInfra.Core.Api;

/// <summary>A sending domain to register; force registers one configured as primary.</summary>
public sealed record DomainInput(string Name, bool Force = false, IReadOnlyList<string>? DkimSelectors = null, string? Note = null);
