namespace EmailInfra.Core.Api;

/// <summary>Changes to a sending domain (retire it through the health override).</summary>
public sealed record DomainUpdate(IReadOnlyList<string>? DkimSelectors = null, string? Note = null);
