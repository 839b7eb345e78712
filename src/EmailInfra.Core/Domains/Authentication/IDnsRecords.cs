using System.Net;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>The DNS lookups the authentication checks make. An empty answer means NXDOMAIN or no records of the type.</summary>
/// <remarks>A server that does not answer raises <see cref="DnsTimeoutException"/>: a temporary error, never "no records".</remarks>
public interface IDnsRecords
{
    /// <summary>TXT records, each one's strings joined without separator (RFC 7208 3.3).</summary>
    Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>A records (IPv4) or AAAA records (IPv6) of a name.</summary>
    Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellationToken);

    /// <summary>MX hosts with their preference.</summary>
    Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string name, CancellationToken cancellationToken);

    /// <summary>PTR names of an address.</summary>
    Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken);

    /// <summary>Whether the name exists at all (false for NXDOMAIN).</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The DNS server did not answer in time (or failed with SERVFAIL): the answer is unknown.</summary>
public sealed class DnsTimeoutException : TimeoutException
{
    public DnsTimeoutException()
    {
    }

    public DnsTimeoutException(string message)
        : base(message)
    {
    }

    public DnsTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
