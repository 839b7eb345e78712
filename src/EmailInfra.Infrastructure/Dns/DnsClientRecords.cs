using System.Net;
using DnsClient;
using DnsClient.Protocol;
using EmailInfra.Core.Domains.Authentication;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Dns;

/// <summary>The authentication checks' DNS lookups with DnsClient; no cache, so an audit sees what is published now.</summary>
public sealed class DnsClientRecords : IDnsRecords
{
    private readonly DnsQuery dns;

    public DnsClientRecords(IOptions<DnsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        dns = new DnsQuery(options.Value, useCache: false);
    }

    public async Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false)).Answers.TxtRecords()
            .Select(r => string.Concat(r.Text)).ToList();

    public async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, ipv6 ? QueryType.AAAA : QueryType.A, cancellationToken).ConfigureAwait(false);
        return ipv6 ? response.Answers.AaaaRecords().Select(r => r.Address).ToList() : response.Answers.ARecords().Select(r => r.Address).ToList();
    }

    public async Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false)).Answers.MxRecords()
            .OrderBy(r => r.Preference).Select(r => ((int)r.Preference, r.Exchange.Value.TrimEnd('.'))).ToList();

    public async Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        return (await QueryAsync(address.GetArpaName(), QueryType.PTR, cancellationToken).ConfigureAwait(false)).Answers.PtrRecords()
            .Select(r => r.PtrDomainName.Value.TrimEnd('.')).ToList();
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync(name, QueryType.SOA, cancellationToken).ConfigureAwait(false)).Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain;

    private Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken) =>
        dns.QueryAsync(name, type, cancellationToken);
}
