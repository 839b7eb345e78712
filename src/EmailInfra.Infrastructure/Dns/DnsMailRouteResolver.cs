using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Dns;

/// <summary>MX, null-MX and address lookups with DnsClient.</summary>
public sealed class DnsMailRouteResolver : IMailRouteResolver
{
    private readonly LookupClient client;

    public DnsMailRouteResolver(IOptions<DnsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = options.Value.Servers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(DnsClientRecords.ParseServer).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.Timeout = options.Value.Timeout;
        lookup.Retries = 1;
        lookup.UseCache = true;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        client = new LookupClient(lookup);
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

    private async Task<IDnsQueryResponse> QueryAsync(string domain, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.QueryAsync(domain, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            if (response.HasError && response.Header.ResponseCode is not (DnsHeaderResponseCode.NotExistentDomain or DnsHeaderResponseCode.NoError))
            {
                throw new TimeoutException($"DNS {type} {domain}: {response.ErrorMessage}");
            }

            return response;
        }
        catch (DnsResponseException ex)
        {
            throw new TimeoutException($"DNS {type} {domain}: {ex.Message}", ex);
        }
    }
}
