namespace EmailInfra.Infrastructure.Mail;

/// <summary>How SMTP and IMAP connections are made. Bound from the "MailTransport" configuration section.</summary>
public sealed class MailTransportOptions
{
    public const string Section = "MailTransport";

    /// <summary>PEM certificate files trusted in addition to the system store (a test rig's self-signed certificate).</summary>
    public IList<string> TrustedCertificateFiles { get; } = [];

    /// <summary>Hosts that may be reached without TLS: loopback test servers only. Empty in production.</summary>
    public IList<string> PlaintextAllowedHosts { get; } = [];

    /// <summary>Keep a mailbox's authenticated SMTP connection open between sends (one login for many messages).</summary>
    public bool ReuseConnections { get; set; } = true;

    /// <summary>An idle pooled connection older than this is closed instead of reused.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A pooled connection idle longer than this is probed with NOOP before it carries a message.</summary>
    public TimeSpan ProbeAfterIdle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages per connection before it is closed and a new one opened (servers limit this too).</summary>
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>Timeout of one SMTP or IMAP command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
