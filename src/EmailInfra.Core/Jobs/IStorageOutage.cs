namespace EmailInfra.Core.Jobs;

/// <summary>
/// Tells a storage service that cannot be reached (refused, reset, timed out, 5xx) from a request it refused (a 400 for a
/// hostile key, a 409). Jobs wait out the first and keep their place; the second is the job's own failure.
/// </summary>
public interface IStorageOutage
{
    bool IsOutage(Exception exception);
}
