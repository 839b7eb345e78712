using System.Globalization;
using EmailInfra.Core;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Cli.Commands;

/// <summary>Parses "host:port" plus a TLS mode name into an endpoint.</summary>
internal static class EndpointArgument
{
    public static MailServerEndpoint Parse(string field, string value, string? tls)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new InvalidRequestException(field, $"'{value}' is not host:port");
        }

        var mode = tls?.ToLowerInvariant() switch
        {
            null => port is 465 or 993 or 2465 or 2993 ? TlsMode.Implicit : TlsMode.StartTls,
            "implicit" or "ssl" or "tls" => TlsMode.Implicit,
            "starttls" => TlsMode.StartTls,
            "none" => TlsMode.None,
            _ => throw new InvalidRequestException(field + "-tls", $"'{tls}' is not implicit, starttls or none"),
        };
        return new MailServerEndpoint(value[..colon], port, mode);
    }
}
