using EmailInfra.Core.Secrets;
using EmailInfra.Infrastructure.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace EmailInfra.Infrastructure.Tests.Secrets;

/// <summary>The Key Vault read cache, on a fake clock over a store that can be made to fail (pure logic: no vault here).</summary>
public class SecretCacheTests
{
    private sealed class FlakyStore : ISecretStore
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Exception? Failure { get; set; }

        public int Reads { get; private set; }

        public Task<string> GetAsync(string name, CancellationToken cancellationToken)
        {
            Reads++;
            if (Failure is not null)
            {
                throw Failure;
            }

            return Values.TryGetValue(name, out var value) ? Task.FromResult(value) : throw new KeyNotFoundException(name);
        }

        public Task SetAsync(string name, string value, CancellationToken cancellationToken)
        {
            Values[name] = value;
            return Task.CompletedTask;
        }

        public Task DeleteAsync(string name, CancellationToken cancellationToken)
        {
            Values.Remove(name);
            return Task.CompletedTask;
        }
    }

    private static readonly SecretStoreOptions Options = new() { CacheFor = TimeSpan.FromMinutes(1), StaleFor = TimeSpan.FromHours(1) };

    [Fact]
    public async Task ReadsWithinCacheFor_ReachTheStoreOnce_ThenReadAgain()
    {
        var store = new FlakyStore { Values = { ["s"] = "v1" } };
        var time = new FakeTimeProvider();
        var cache = new SecretCache(store, time, Options);

        Assert.Equal("v1", await cache.GetAsync("s", default));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("v1", await cache.GetAsync("s", default));
        Assert.Equal(1, store.Reads);

        store.Values["s"] = "v2";
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("v2", await cache.GetAsync("s", default));
        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task StoreFailing_LastValueServedForStaleFor_ThenTheFailureSurfaces()
    {
        var store = new FlakyStore { Values = { ["s"] = "v1" } };
        var time = new FakeTimeProvider();
        var cache = new SecretCache(store, time, Options);
        await cache.GetAsync("s", default);

        store.Failure = new HttpRequestException("vault unreachable");
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("v1", await cache.GetAsync("s", default));

        time.Advance(TimeSpan.FromMinutes(31));
        await Assert.ThrowsAsync<HttpRequestException>(() => cache.GetAsync("s", default));
    }

    [Fact]
    public async Task SecretDeleted_NotServedFromTheCacheOnceTheStoreSaysSo()
    {
        var store = new FlakyStore { Values = { ["s"] = "v1" } };
        var time = new FakeTimeProvider();
        var cache = new SecretCache(store, time, Options);
        await cache.GetAsync("s", default);

        store.Values.Clear();
        time.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => cache.GetAsync("s", default));
        store.Failure = new TimeoutException();
        await Assert.ThrowsAsync<TimeoutException>(() => cache.GetAsync("s", default));
    }

    [Fact]
    public async Task PasswordSetThroughTheCache_UsedAtOnce()
    {
        var store = new FlakyStore { Values = { ["s"] = "old" } };
        var cache = new SecretCache(store, new FakeTimeProvider(), Options);
        await cache.GetAsync("s", default);

        await cache.SetAsync("s", "new", default);
        Assert.Equal("new", await cache.GetAsync("s", default));
        Assert.Equal("new", store.Values["s"]);
    }
}
