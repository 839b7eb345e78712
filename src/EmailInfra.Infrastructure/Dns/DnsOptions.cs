namespace EmailInfra.Infrastructure.Dns;

/// <summary>Which DNS servers to ask. Bound from the "Dns" configuration section.</summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary>"host:port" of the servers to query; empty means the machine's resolvers.</summary>
    public IList<string> Servers { get; } = [];

    /// <summary>Timeout of one query.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);
}
