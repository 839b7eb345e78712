namespace EmailInfra.Core.Domains;

/// <summary>A cold sending domain (never the primary business domain); audited and possibly retired.</summary>
public sealed record SendingDomain(string Name, DateTimeOffset RegisteredAt, bool Retired);

/// <summary>Persistence of sending domains.</summary>
public interface IDomainStore
{
    Task<SendingDomain?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<SendingDomain>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds the domain if it is not there yet; an existing row is left as it is.</summary>
    Task EnsureAsync(SendingDomain domain, CancellationToken cancellationToken);

    /// <summary>Writes the domain as given (retiring it, for one).</summary>
    Task UpsertAsync(SendingDomain domain, CancellationToken cancellationToken);
}
