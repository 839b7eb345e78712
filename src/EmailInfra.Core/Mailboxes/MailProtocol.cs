namespace EmailInfra.Core.Mailboxes;

/// <summary>The two services every mailbox is reached over.</summary>
public enum MailProtocol
{
    Smtp,
    Imap,
}
