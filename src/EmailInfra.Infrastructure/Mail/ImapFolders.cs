using MailKit;
using MailKit.Net.Imap;

namespace EmailInfra.Infrastructure.Mail;

/// <summary>Finds a mailbox's Junk and Sent folders: by SPECIAL-USE (RFC 6154) where the server offers it, else by the providers' usual names.</summary>
internal static class ImapFolders
{
    // Names used by providers that do not advertise SPECIAL-USE (Outlook, Gmail, Yahoo, generic).
    private static readonly string[] JunkNames = ["Junk", "Junk Email", "Junk E-mail", "[Gmail]/Spam", "[Google Mail]/Spam", "Spam", "Bulk Mail"];
    private static readonly string[] SentNames = ["Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail", "[Google Mail]/Sent Mail", "INBOX.Sent"];

    public static async Task<IMailFolder?> FindAsync(ImapClient client, SpecialFolder kind, CancellationToken cancellationToken)
    {
        if ((client.Capabilities & ImapCapabilities.SpecialUse) != 0)
        {
            try
            {
                if (client.GetFolder(kind) is { } special)
                {
                    return special;
                }
            }
            catch (NotSupportedException)
            {
                // fall through to names
            }
        }

        foreach (var name in kind == SpecialFolder.Junk ? JunkNames : SentNames)
        {
            try
            {
                return await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (FolderNotFoundException)
            {
            }
        }

        return null;
    }
}
