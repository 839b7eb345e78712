using System.Security.Cryptography;
using EmailInfra.Infrastructure.Secrets;

namespace EmailInfra.Infrastructure.Tests.Secrets;

public sealed class LocalSecretStoreTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "emailinfra-secrets-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SetThenGet_ReturnsValue_FileHoldsNoPlaintext()
    {
        var store = new LocalSecretStore(dir);
        await store.SetAsync("mailbox-alice", "alice-pw-Zq9", default);
        Assert.Equal("alice-pw-Zq9", await store.GetAsync("mailbox-alice", default));
        Assert.Equal("alice-pw-Zq9", await new LocalSecretStore(dir).GetAsync("mailbox-alice", default));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(dir, "mailbox-alice.secret"));
        Assert.DoesNotContain("alice-pw-Zq9", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "store.key")));
        }
    }

    [Fact]
    public async Task Delete_RemovesTheFile_ThenTheSecretIsUnknown_DeletingAgainIsNoError()
    {
        var store = new LocalSecretStore(dir);
        await store.SetAsync("mailbox-gone", "pw", default);
        await store.DeleteAsync("mailbox-gone", default);
        Assert.False(File.Exists(Path.Combine(dir, "mailbox-gone.secret")));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetAsync("mailbox-gone", default));
        await store.DeleteAsync("mailbox-gone", default);
    }

    [Fact]
    public async Task Get_FileCopiedUnderAnotherName_DoesNotDecrypt()
    {
        var store = new LocalSecretStore(dir);
        await store.SetAsync("mailbox-a", "pw-a", default);
        File.Copy(Path.Combine(dir, "mailbox-a.secret"), Path.Combine(dir, "mailbox-b.secret"));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => store.GetAsync("mailbox-b", default));
    }

    [Fact]
    public async Task Get_Unknown_ThrowsKeyNotFound_BadName_Throws()
    {
        var store = new LocalSecretStore(dir);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetAsync("missing", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync("../escape", "x", default));
    }

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }
    }
}
