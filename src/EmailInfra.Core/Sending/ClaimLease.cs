namespace EmailInfra.Core.Sending;

/// <summary>Judges whether the worker that claimed a row may still be sending it.</summary>
/// <remarks>
/// The claim is timed by storage's own clock (the row's timestamp at the claim write, and the service's clock when the row is
/// read), so two instances whose clocks disagree still agree on when a lease ends. Rows read without those times (an older
/// store) fall back to the claimer's clock against the reader's.
/// </remarks>
public static class ClaimLease
{
    /// <summary>How long the row's lease still runs; zero or less once it has ended.</summary>
    public static TimeSpan Remaining(LedgerEntry entry, TimeSpan lease, DateTimeOffset localNow)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.StoredAt is { } stored && entry.ReadAt is { } read)
        {
            // The read time comes from the reply's Date header, cut to the second: it errs early, so the lease errs long.
            return stored + lease - read;
        }

        return (entry.ClaimedAt ?? entry.UpdatedAt) + lease - localNow;
    }
}
