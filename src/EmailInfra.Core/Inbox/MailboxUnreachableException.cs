namespace EmailInfra.Core.Inbox;

/// <summary>
/// The mailbox's IMAP server could not be reached, refused the login, or the session broke: a fact about the connection,
/// never about the message being read when it happened. Readers throw it so the poller can tell the two apart.
/// </summary>
public sealed class MailboxUnreachableException : Exception
{
    public MailboxUnreachableException()
    {
    }

    public MailboxUnreachableException(string message)
        : base(message)
    {
    }

    public MailboxUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MailboxUnreachableException(string message, bool credentialsRefused, Exception? innerException = null)
        : base(message, innerException)
    {
        CredentialsRefused = credentialsRefused;
    }

    /// <summary>The server answered but refused the credentials (as opposed to not answering at all).</summary>
    public bool CredentialsRefused { get; }
}
