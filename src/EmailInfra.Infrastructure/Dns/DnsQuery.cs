using System.Globalization;
using System.Net;
using DnsClient;
using EmailInfra.Core.Domains.Authentication;

namespace EmailInfra.Infrastructure.Dns;

/// <summary>One DnsClient lookup client for the configured servers, and the one place where DNS failures become <see cref="DnsTimeoutException"/>.</summary>
internal sealed class DnsQuery
{
    private readonly LookupClient client;

    public DnsQuery(DnsOptions options, bool useCache)
    {
        var servers = options.Servers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(ParseServer).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.Timeout = options.Timeout;
        lookup.Retries = 1;
        lookup.UseCache = useCache;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        client = new LookupClient(lookup);
    }

    /// <summary>The response for NOERROR and NXDOMAIN; any other failure (timeout, SERVFAIL, refused) throws.</summary>
    public async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            if (response.HasError && response.Header.ResponseCode is not (DnsHeaderResponseCode.NotExistentDomain or DnsHeaderResponseCode.NoError))
            {
                throw new DnsTimeoutException($"DNS {type} {name}: {response.ErrorMessage}");
            }

            return response;
        }
        catch (DnsResponseException ex)
        {
            throw new DnsTimeoutException($"DNS {type} {name}: {ex.Message}", ex);
        }
    }

    private static NameServer ParseServer(string server)
    {
        var colon = server.LastIndexOf(':');
        return colon > 0 && int.TryParse(server[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new NameServer(IPAddress.Parse(server[..colon]), port)
            : new NameServer(IPAddress.Parse(server));
    }
}
