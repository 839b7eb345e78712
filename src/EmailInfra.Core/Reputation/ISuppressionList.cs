namespace EmailInfra.Core.Reputation;

/// <summary>Recipients never to be sent to again, with the reason.</summary>
public interface ISuppressionList
{
    Task AddAsync(string address, string reason, string evidence, CancellationToken cancellationToken);

    Task<bool> IsSuppressedAsync(string address, CancellationToken cancellationToken);

    /// <summary>The entry for an address, or null when it is not suppressed (or not an address).</summary>
    Task<Suppression?> GetAsync(string address, CancellationToken cancellationToken);

    /// <summary>Lifts a suppression; false when the address was not suppressed.</summary>
    Task<bool> RemoveAsync(string address, CancellationToken cancellationToken);

    /// <summary>Every entry, ordered by recipient domain then address (the table's key order).</summary>
    IAsyncEnumerable<Suppression> ListAsync(CancellationToken cancellationToken);
}
