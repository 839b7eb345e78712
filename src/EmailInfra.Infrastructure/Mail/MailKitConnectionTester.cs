using System.Globalization;
using System.Net.Sockets;
using EmailInfra.Core.Mailboxes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace EmailInfra.Infrastructure.Mail;

/// <summary>
/// Tests a mailbox's SMTP and IMAP servers with MailKit, through the same <see cref="MailConnection"/> the senders and pollers use
/// (TLS policy, trusted certificates, timeouts), and reports each step. It sends nothing and changes nothing in the mailbox.
/// </summary>
/// <remarks>
/// MailKit's connect runs the greeting, EHLO and STARTTLS in one call; which of them failed is told by the exception
/// (a socket error is the connect, a TLS handshake error the TLS step, an SMTP error reply the EHLO).
/// </remarks>
public sealed class MailKitConnectionTester(MailConnection connection, TimeProvider time) : IMailboxConnectionTester
{
    public async Task<ConnectionTestReport> TestAsync(Mailbox mailbox, MailboxCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(credentials);
        var steps = new List<ConnectionTestStep>();
        await TestSmtpAsync(mailbox, credentials, steps, cancellationToken).ConfigureAwait(false);
        await TestImapAsync(mailbox, credentials, steps, cancellationToken).ConfigureAwait(false);
        return new ConnectionTestReport(mailbox.Address, time.GetUtcNow(), steps);
    }

    private async Task TestSmtpAsync(Mailbox mailbox, MailboxCredentials credentials, List<ConnectionTestStep> steps, CancellationToken cancellationToken)
    {
        const string smtp = "smtp";
        if (!connection.IsAllowed(mailbox.Smtp))
        {
            steps.Add(new(smtp, "connect", false, $"TLS is required for {mailbox.Smtp.Host}; plaintext is allowed only for listed test hosts"));
            return;
        }

        using var client = new SmtpClient();
        if (!await ConnectAsync(client, smtp, mailbox.Smtp, steps, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        steps.Add(new(smtp, "ehlo", true, "offers " + Describe(client.Capabilities, client.AuthenticationMechanisms)));
        if (!TlsStep(smtp, mailbox.Smtp, client.IsSecure, client.SslProtocol.ToString(), steps))
        {
            return;
        }

        if ((client.Capabilities & SmtpCapabilities.Authentication) == 0)
        {
            steps.Add(new(smtp, "auth", false, "the server offers no AUTH"));
            return;
        }

        try
        {
            await client.AuthenticateAsync(credentials.Username, credentials.Password, cancellationToken).ConfigureAwait(false);
            steps.Add(new(smtp, "auth", true, $"{credentials.Username} accepted"));
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or SmtpCommandException or SmtpProtocolException or IOException or TimeoutException)
        {
            steps.Add(new(smtp, "auth", false, Message(ex)));
        }
    }

    private async Task TestImapAsync(Mailbox mailbox, MailboxCredentials credentials, List<ConnectionTestStep> steps, CancellationToken cancellationToken)
    {
        const string imap = "imap";
        if (!connection.IsAllowed(mailbox.Imap))
        {
            steps.Add(new(imap, "connect", false, $"TLS is required for {mailbox.Imap.Host}; plaintext is allowed only for listed test hosts"));
            return;
        }

        using var client = new ImapClient();
        if (!await ConnectAsync(client, imap, mailbox.Imap, steps, cancellationToken).ConfigureAwait(false)
            || !TlsStep(imap, mailbox.Imap, client.IsSecure, client.SslProtocol.ToString(), steps))
        {
            return;
        }

        try
        {
            await client.AuthenticateAsync(credentials.Username, credentials.Password, cancellationToken).ConfigureAwait(false);
            steps.Add(new(imap, "login", true, $"{credentials.Username} accepted"));
            await client.Inbox.StatusAsync(StatusItems.Count, cancellationToken).ConfigureAwait(false);
            steps.Add(new(imap, "inbox", true, $"INBOX ({client.Inbox.Count.ToString(CultureInfo.InvariantCulture)} messages)"));
            var sent = await ImapFolders.FindAsync(client, SpecialFolder.Sent, cancellationToken).ConfigureAwait(false);
            steps.Add(sent is not null
                ? new(imap, "sent", true, sent.FullName)
                : new(imap, "sent", !mailbox.AppendToSent, mailbox.AppendToSent ? "no Sent folder, and the mailbox appends its sent mail there" : "no Sent folder (not needed: the server keeps sent mail)"));
            var junk = await ImapFolders.FindAsync(client, SpecialFolder.Junk, cancellationToken).ConfigureAwait(false);
            steps.Add(junk is not null ? new(imap, "junk", true, junk.FullName) : new(imap, "junk", false, "no Junk folder found: placement in junk cannot be seen"));
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            steps.Add(new(imap, "login", false, Message(ex)));
        }
        catch (Exception ex) when (ex is ImapCommandException or ImapProtocolException or IOException or TimeoutException or FolderNotFoundException)
        {
            steps.Add(new(imap, steps.Any(s => s.Protocol == imap && s.Step == "login") ? "folders" : "login", false, Message(ex)));
        }
    }

    private async Task<bool> ConnectAsync(IMailService client, string protocol, MailServerEndpoint endpoint, List<ConnectionTestStep> steps, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ConnectAsync(client, endpoint, cancellationToken).ConfigureAwait(false);
            steps.Add(new(protocol, "connect", true, $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"));
            return true;
        }
        catch (SslHandshakeException ex)
        {
            steps.Add(new(protocol, "connect", true, $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"));
            steps.Add(new(protocol, endpoint.Tls == TlsMode.StartTls ? "starttls" : "tls", false, Message(ex)));
            return false;
        }
        catch (NotSupportedException ex) when (endpoint.Tls == TlsMode.StartTls)
        {
            // MailKit refuses to go on in plaintext when STARTTLS was required but not offered
            steps.Add(new(protocol, "connect", true, $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"));
            steps.Add(new(protocol, "starttls", false, "the server does not offer STARTTLS: " + Message(ex)));
            return false;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ImapProtocolException or ImapCommandException)
        {
            steps.Add(new(protocol, "connect", true, $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"));
            steps.Add(new(protocol, protocol == "smtp" ? "ehlo" : "greeting", false, Message(ex)));
            return false;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            steps.Add(new(protocol, "connect", false, $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}: {Message(ex)}"));
            return false;
        }
    }

    private static bool TlsStep(string protocol, MailServerEndpoint endpoint, bool secure, string tlsVersion, List<ConnectionTestStep> steps)
    {
        switch (endpoint.Tls)
        {
            case TlsMode.StartTls:
                steps.Add(new(protocol, "starttls", secure, secure ? tlsVersion : "the connection is not encrypted"));
                return secure;
            case TlsMode.Implicit:
                steps.Add(new(protocol, "tls", secure, secure ? tlsVersion : "the connection is not encrypted"));
                return secure;
            default:
                steps.Add(new(protocol, "tls", true, "none (a listed loopback test host)"));
                return true;
        }
    }

    private static string Describe(SmtpCapabilities capabilities, HashSet<string> mechanisms)
    {
        var names = Enum.GetValues<SmtpCapabilities>()
            .Where(c => c != SmtpCapabilities.None && (capabilities & c) == c)
            .Select(c => c.ToString().ToUpperInvariant())
            .ToList();
        if (mechanisms.Count > 0)
        {
            names.Add("AUTH " + string.Join(' ', mechanisms.Order(StringComparer.Ordinal)));
        }

        return string.Join(", ", names);
    }

    private static string Message(Exception ex)
    {
        var message = ex.Message.ReplaceLineEndings(" ").Trim();
        return message.Length > 300 ? message[..300] + "…" : message;
    }
}
