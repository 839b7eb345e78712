namespace EmailInfra.Core.Mailboxes;

/// <summary>Persistence of mailboxes and sending pools.</summary>
public interface IMailboxStore
{
    Task<Mailbox?> GetAsync(string poolId, string address, CancellationToken cancellationToken);

    /// <summary>Finds a mailbox by address alone (admin paths; jobs carry the pool id and use <see cref="GetAsync"/>).</summary>
    Task<Mailbox?> FindByAddressAsync(string address, CancellationToken cancellationToken);

    Task<IReadOnlyList<Mailbox>> ListPoolAsync(string poolId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Mailbox>> ListAllAsync(CancellationToken cancellationToken);

    Task UpsertAsync(Mailbox mailbox, CancellationToken cancellationToken);

    Task<SendingPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken);

    Task UpsertPoolAsync(SendingPool pool, CancellationToken cancellationToken);
}
