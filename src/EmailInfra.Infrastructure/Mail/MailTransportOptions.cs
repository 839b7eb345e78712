namespace EmailInfra.Infrastructure.Mail;

/// <summary>How SMTP and IMAP connections are made. Bound from the "MailTransport" configuration section.</summary>
public sealed class MailTransportOptions
{
    public const string Section = "MailTransport";

    /// <summary>PEM certificate files trusted in addition to the system store (a test rig's self-signed certificate).</summary>
    public IList<string> TrustedCertificateFiles { get; } = [];

    /// <summary>Hosts that may be reached without TLS: loopback test servers only. Empty in production.</summary>
    public IList<string> PlaintextAllowedHosts { get; } = [];

    /// <summary>Timeout of one SMTP or IMAP command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
