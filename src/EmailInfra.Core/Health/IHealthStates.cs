namespace EmailInfra.Core.Health;

/// <summary>Persistence of <see cref="HealthRecord"/>s, one per scope.</summary>
public interface IHealthStates
{
    Task<HealthRecord?> GetAsync(HealthScope scope, CancellationToken cancellationToken);

    Task<IReadOnlyList<HealthRecord>> ListAsync(ScopeKind kind, CancellationToken cancellationToken);

    /// <summary>Saves the record if nobody saved it since it was read (its <see cref="HealthRecord.ETag"/>); returns the saved record, or null on a conflict.</summary>
    Task<HealthRecord?> TrySaveAsync(HealthRecord record, CancellationToken cancellationToken);
}
