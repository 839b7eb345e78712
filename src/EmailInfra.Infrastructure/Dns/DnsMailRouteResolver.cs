using DnsClient;
using DnsClient.Protocol;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Dns;

/// <summary>MX, null-MX and address lookups with DnsClient.</summary>
public sealed class DnsMailRouteResolver : IMailRouteResolver
{
    private readonly DnsQuery dns;

    public DnsMailRouteResolver(IOptions<DnsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        dns = new DnsQuery(options.Value, useCache: true);
    }

    public async Task<MailRoute> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        if (mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return new MailRoute(false, [], false, false);
        }

        var records = mx.Answers.MxRecords().OrderBy(r => r.Preference).ToList();
        if (records.Count == 1 && records[0].Exchange.Value is "." or "")
        {
            return new MailRoute(true, [], true, false);
        }

        if (records.Count > 0)
        {
            return new MailRoute(true, records.Select(r => r.Exchange.Value.TrimEnd('.')).ToList(), false, false);
        }

        var a = await QueryAsync(domain, QueryType.A, cancellationToken).ConfigureAwait(false);
        var hasAddress = a.Answers.ARecords().Any();
        if (!hasAddress)
        {
            var aaaa = await QueryAsync(domain, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
            hasAddress = aaaa.Answers.AaaaRecords().Any();
        }

        return new MailRoute(true, [], false, hasAddress);
    }

    // DnsTimeoutException is a TimeoutException: the send path's "DNS did not answer" handling catches it.
    private Task<IDnsQueryResponse> QueryAsync(string domain, QueryType type, CancellationToken cancellationToken) =>
        dns.QueryAsync(domain, type, cancellationToken);
}
