namespace EmailInfra.Core.Sending;

/// <summary>Persistence of the send ledger and of the Message-ID index that links inbound mail to it.</summary>
public interface ISendLedger
{
    /// <summary>Adds a planned row; returns false if a row with that key already exists (planning is idempotent).</summary>
    Task<bool> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken);

    Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken);

    /// <summary>Replaces the row if its ETag still matches; returns the stored row with its new ETag, or null if another writer won.</summary>
    Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerEntry>> ListDayAsync(string mailbox, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Rows of <paramref name="fromDay"/> and later that are not finished (planned, deferred, sending) or whose Sent copy is pending.</summary>
    Task<IReadOnlyList<LedgerEntry>> ListUnfinishedAsync(DateOnly fromDay, CancellationToken cancellationToken);

    /// <summary>Records which ledger row a Message-ID belongs to. Idempotent.</summary>
    Task IndexMessageIdAsync(string messageId, LedgerKey key, CancellationToken cancellationToken);

    /// <summary>The ledger row a Message-ID (without angle brackets) was sent as, if it was ours.</summary>
    Task<LedgerEntry?> FindByMessageIdAsync(string messageId, CancellationToken cancellationToken);
}
