namespace EmailInfra.Core.Domains;

/// <summary>A cold sending domain (never the primary business domain); audited and possibly retired.</summary>
/// <remarks>
/// <see cref="DkimSelectors"/> are the selectors the domain signs with, audited besides the configured ones
/// (a provider's own selectors such as google or selector1 are always tried). <see cref="Forced"/> records that an operator
/// registered it although it is configured as a primary business domain.
/// </remarks>
public sealed record SendingDomain(string Name, DateTimeOffset RegisteredAt, bool Retired)
{
    public IReadOnlyList<string> DkimSelectors { get; init; } = [];

    public string? Note { get; init; }

    public bool Forced { get; init; }

    /// <summary>The stored row's version as read (null before it is stored).</summary>
    public string? ETag { get; init; }
}
