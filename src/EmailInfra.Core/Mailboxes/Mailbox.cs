namespace EmailInfra.Core.Mailboxes;

/// <summary>How a client secures its connection to a mail server.</summary>
public enum TlsMode
{
    /// <summary>TLS from the first byte (SMTPS 465, IMAPS 993).</summary>
    Implicit,

    /// <summary>Plain connect, then STARTTLS; refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>No TLS at all. Allowed only for hosts listed as loopback test servers.</summary>
    None,
}

/// <summary>A mail server a mailbox talks to: host, port and how TLS is negotiated.</summary>
public sealed record MailServerEndpoint(string Host, int Port, TlsMode Tls)
{
    public override string ToString() => $"{Host}:{Port} ({Tls})";
}

/// <summary>Lifecycle of a mailbox, driven by warm-up progress and health rules.</summary>
public enum MailboxState
{
    Warming,
    Healthy,
    Throttled,
    Paused,
    Retired,
}

/// <summary>One sending identity: an address on a cold domain with SMTP and IMAP access.</summary>
/// <remarks>
/// The password is never held here: <see cref="SecretName"/> names it in the secret store. <see cref="AppendToSent"/> is set
/// for servers that do not keep submitted mail (most self-run SMTP); Gmail and Microsoft 365 keep it themselves.
/// <see cref="StateReason"/> says why the state was last changed by the system (e.g. credentials refused).
/// <see cref="ThrottleFactor"/> and <see cref="RampHeld"/> are the health engine's verdict as the senders read it: the share of
/// the usual caps a throttled mailbox may use, and whether its warm-up volume may grow.
/// </remarks>
public sealed record Mailbox(
    string Address,
    string PoolId,
    MailServerEndpoint Smtp,
    MailServerEndpoint Imap,
    string Username,
    string SecretName,
    MailboxState State,
    DateTimeOffset CreatedAt,
    bool AppendToSent = false,
    string? StateReason = null,
    double ThrottleFactor = 1.0,
    bool RampHeld = false)
{
    /// <summary>The domain part of the address, lower case.</summary>
    public string Domain => EmailAddress.DomainOf(Address);

    /// <summary>Whether the mailbox may send and is polled.</summary>
    public bool IsActive => State is MailboxState.Warming or MailboxState.Healthy or MailboxState.Throttled;

    /// <summary>The stored row's version as read (null for a mailbox not yet stored): an update made with it fails if the row changed since.</summary>
    public string? ETag { get; init; }
}

/// <summary>A username and password for one mailbox, fetched from the secret store when needed.</summary>
/// <remarks>ToString never shows the password, so the credentials can't leak through a log line.</remarks>
public sealed class MailboxCredentials(string username, string password)
{
    public string Username { get; } = username;

    public string Password { get; } = password;

    public override string ToString() => $"{Username} (password hidden)";
}
