using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EmailInfra.Core.Mailboxes;
using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Mail;

/// <summary>Opens MailKit connections the way every adapter needs them: TLS policy, trusted certificates, no Nagle delay.</summary>
public sealed class MailConnection
{
    private readonly MailTransportOptions options;
    private readonly HashSet<string> trustedThumbprints;

    public MailConnection(IOptions<MailTransportOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        trustedThumbprints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in this.options.TrustedCertificateFiles.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(file);
            trustedThumbprints.Add(certificate.Thumbprint);
        }
    }

    public TimeSpan CommandTimeout => options.CommandTimeout;

    /// <summary>Whether the endpoint's TLS mode is allowed: plaintext only towards listed loopback test hosts.</summary>
    public bool IsAllowed(MailServerEndpoint endpoint) =>
        endpoint.Tls != TlsMode.None || options.PlaintextAllowedHosts.Contains(endpoint.Host, StringComparer.OrdinalIgnoreCase);

    public static SecureSocketOptions SocketOptions(TlsMode mode) => mode switch
    {
        TlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        TlsMode.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    /// <summary>Connects the client to the endpoint over a socket with NoDelay set.</summary>
    /// <remarks>MailKit's own connect leaves Nagle on; with pipelined SMTP commands that costs ~40 ms per message (measured: 22/s vs 2,750/s).</remarks>
    public async Task ConnectAsync(IMailService client, MailServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(endpoint);
        client.Timeout = (int)options.CommandTimeout.TotalMilliseconds;
        client.ServerCertificateValidationCallback = ValidateCertificate;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await System.Net.Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CommandTimeout);
            await socket.ConnectAsync(addresses, endpoint.Port, timeout.Token).ConfigureAwait(false);
            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, SocketOptions(endpoint.Tls), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        return certificate is not null && trustedThumbprints.Contains(certificate.GetCertHashString());
    }
}
