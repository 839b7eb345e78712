namespace EmailInfra.Core.Api;

/// <summary>The unauthenticated health probe's answer.</summary>
public sealed record ProbeView(string Status, string Version);
