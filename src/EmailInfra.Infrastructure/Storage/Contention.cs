namespace EmailInfra.Infrastructure.Storage;

/// <summary>The wait before retrying an ETag-guarded write another writer won: short, random, growing with the attempt.</summary>
internal static class Contention
{
    public static Task WaitAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(2, 10 + (Math.Min(attempt, 20) * 5)), cancellationToken);
}
