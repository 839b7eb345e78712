namespace EmailInfra.Core.Domains;

/// <summary>Persistence of sending domains.</summary>
public interface IDomainStore
{
    Task<SendingDomain?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<SendingDomain>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds the domain if it is not there yet; an existing row is left as it is.</summary>
    Task EnsureAsync(SendingDomain domain, CancellationToken cancellationToken);

    /// <summary>Writes the domain as given (retiring it, for one).</summary>
    Task UpsertAsync(SendingDomain domain, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the domain only if it is unchanged since read: with <see cref="SendingDomain.ETag"/> null, only if no row exists yet.
    /// False when another writer got there first.
    /// </summary>
    Task<bool> TryWriteAsync(SendingDomain domain, CancellationToken cancellationToken);

    /// <summary>Deletes the domain's row if its version is <paramref name="etag"/> (any version when null); false if it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(string name, string? etag, CancellationToken cancellationToken);
}
