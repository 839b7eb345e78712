namespace EmailInfra.Core.Mailboxes;

/// <summary>How a mailbox's server answered the last time EmailInfra connected to it.</summary>
public enum ConnectionStatus
{
    /// <summary>Connected and logged in.</summary>
    Ok,

    /// <summary>No connection: refused, timed out, TLS failed, or the connection broke mid-session.</summary>
    Unreachable,

    /// <summary>Connected, but the server refused the mailbox's credentials.</summary>
    CredentialsRefused,
}
