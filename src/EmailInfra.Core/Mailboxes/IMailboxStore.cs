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

    Task<IReadOnlyList<SendingPool>> ListPoolsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes the mailbox only if its row is unchanged since read (<see cref="Mailbox.ETag"/>); with a null ETag, only if no row
    /// exists yet. False when another writer got there first.
    /// </summary>
    Task<bool> TryWriteAsync(Mailbox mailbox, CancellationToken cancellationToken);

    /// <summary>Deletes the mailbox's row if its version is <paramref name="etag"/> (any version when null); false if it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(string poolId, string address, string? etag, CancellationToken cancellationToken);

    /// <summary>As <see cref="TryWriteAsync(Mailbox, CancellationToken)"/>, for a pool.</summary>
    Task<bool> TryWritePoolAsync(SendingPool pool, CancellationToken cancellationToken);

    Task<bool> TryDeletePoolAsync(string poolId, string? etag, CancellationToken cancellationToken);
}
