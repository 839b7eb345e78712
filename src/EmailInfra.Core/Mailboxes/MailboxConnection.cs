namespace EmailInfra.Core.Mailboxes;

/// <summary>
/// The last known state of one mailbox's connection over one protocol: a signal for the health rules and the operator,
/// written when a poll or a send meets the server. <see cref="Since"/> is when the status last changed;
/// <see cref="Failures"/> counts consecutive failed attempts (0 when <see cref="Status"/> is <see cref="ConnectionStatus.Ok"/>).
/// </summary>
public sealed record MailboxConnection(
    string Mailbox,
    MailProtocol Protocol,
    ConnectionStatus Status,
    DateTimeOffset Since,
    DateTimeOffset CheckedAt,
    int Failures,
    string? LastError);
