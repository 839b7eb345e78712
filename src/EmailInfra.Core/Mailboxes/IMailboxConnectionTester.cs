namespace EmailInfra.Core.Mailboxes;

/// <summary>Tests a mailbox's servers as the senders and pollers will use them: SMTP connect, EHLO, STARTTLS, AUTH; IMAP login and folders.</summary>
public interface IMailboxConnectionTester
{
    Task<ConnectionTestReport> TestAsync(Mailbox mailbox, MailboxCredentials credentials, CancellationToken cancellationToken);
}
