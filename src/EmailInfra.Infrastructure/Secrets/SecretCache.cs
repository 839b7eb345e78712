using System.Collections.Concurrent;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Infrastructure.Secrets;

/// <summary>
/// Keeps secrets read from a remote store (Key Vault) for a short while, so a poll or a send does not read Key Vault every
/// time, and a Key Vault hiccup (throttling, a timeout, the identity endpoint not answering) does not fail every job:
/// a value older than <see cref="SecretStoreOptions.CacheFor"/> is read again, and while that read fails the last value
/// is used for up to <see cref="SecretStoreOptions.StaleFor"/>.
/// </summary>
/// <remarks>
/// A secret that no longer exists is never served from the cache once the store says so. A password changed through
/// this process takes effect at once; changed elsewhere, within <see cref="SecretStoreOptions.CacheFor"/>.
/// </remarks>
public sealed class SecretCache(ISecretStore inner, TimeProvider time, SecretStoreOptions options) : ISecretStore
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset ReadAt)> entries = new(StringComparer.OrdinalIgnoreCase);

    public async Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cached = entries.TryGetValue(name, out var entry);
        if (cached && now - entry.ReadAt < options.CacheFor)
        {
            return entry.Value;
        }

        try
        {
            var value = await inner.GetAsync(name, cancellationToken).ConfigureAwait(false);
            entries[name] = (value, now);
            return value;
        }
        catch (KeyNotFoundException)
        {
            entries.TryRemove(name, out _);
            throw;
        }
        catch (Exception ex) when (cached && now - entry.ReadAt < options.StaleFor && ex is not OperationCanceledException)
        {
            return entry.Value;
        }
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await inner.SetAsync(name, value, cancellationToken).ConfigureAwait(false);
        entries[name] = (value, time.GetUtcNow());
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        entries.TryRemove(name, out _);
    }
}
