namespace EmailInfra.Core.Mailboxes;

/// <summary>Persistence of <see cref="MailboxConnection"/> signals (one per mailbox and protocol).</summary>
public interface IConnectionStates
{
    Task<MailboxConnection?> GetAsync(string mailbox, MailProtocol protocol, CancellationToken cancellationToken);

    Task SaveAsync(MailboxConnection connection, CancellationToken cancellationToken);
}
