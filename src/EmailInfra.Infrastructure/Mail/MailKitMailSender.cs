using System.Net.Sockets;
using System.Text.RegularExpressions;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EmailInfra.Infrastructure.Mail;

/// <summary>Submits messages over SMTP with MailKit: TLS per the mailbox's endpoint, AUTH, one connection per send.</summary>
public sealed partial class MailKitMailSender(MailConnection connection) : IMailSender
{
    public async Task<SmtpOutcome> SendAsync(Mailbox mailbox, MailboxCredentials credentials, MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!connection.IsAllowed(mailbox.Smtp))
        {
            return new SmtpOutcome(SmtpOutcomeKind.TlsUnavailable, null, null, $"TLS is required for {mailbox.Smtp.Host}; plaintext is allowed only for listed test hosts");
        }

        using var client = new SmtpClient();
        var handedOver = false;
        try
        {
            await connection.ConnectAsync(client, mailbox.Smtp, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(credentials.Username, credentials.Password, cancellationToken).ConfigureAwait(false);
            handedOver = true;
            var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return new SmtpOutcome(SmtpOutcomeKind.Accepted, 250, EnhancedStatus(response), "250 " + response);
        }
        catch (AuthenticationException ex)
        {
            return new SmtpOutcome(SmtpOutcomeKind.AuthenticationFailed, 535, EnhancedStatus(ex.Message), ex.Message);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            var kind = code >= 500 ? SmtpOutcomeKind.PermanentFailure : SmtpOutcomeKind.TransientFailure;
            return new SmtpOutcome(kind, code, EnhancedStatus(ex.Message), $"{code} {ex.Message}");
        }
        catch (NotSupportedException ex) when (mailbox.Smtp.Tls == TlsMode.StartTls)
        {
            return new SmtpOutcome(SmtpOutcomeKind.TlsUnavailable, null, null, ex.Message);
        }
        catch (SslHandshakeException ex)
        {
            return new SmtpOutcome(SmtpOutcomeKind.TlsUnavailable, null, null, ex.Message);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Broken while the message was in flight: the server may have taken it, so the outcome is unknown.
            return new SmtpOutcome(handedOver ? SmtpOutcomeKind.OutcomeUnknown : SmtpOutcomeKind.ConnectionFailed, null, null, ex.Message);
        }
    }

    private static string? EnhancedStatus(string text)
    {
        var match = EnhancedStatusPattern().Match(text);
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatusPattern();
}
