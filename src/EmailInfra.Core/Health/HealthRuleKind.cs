namespace EmailInfra.Core.Health;

/// <summary>What a health rule reads.</summary>
public enum HealthRuleKind
{
    /// <summary>A ratio of daily counters over a rolling window (complaints per send).</summary>
    Rate,

    /// <summary>Bounces of given reasons from one recipient provider per send to it: acts on the pool towards that provider.</summary>
    ProviderReasons,

    /// <summary>
    /// A ratio of counters broken down by recipient provider (junk placements at one provider per placement there): acts on
    /// the pool towards that provider, as <see cref="ProviderReasons"/> does.
    /// </summary>
    ProviderRate,

    /// <summary>The latest DNS audit: a check whose name matches the pattern failing.</summary>
    Audit,

    /// <summary>The mailbox's last SMTP or IMAP connection status.</summary>
    Connection,
}
