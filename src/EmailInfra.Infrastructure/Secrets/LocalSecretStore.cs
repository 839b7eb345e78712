using System.Security.Cryptography;
using System.Text;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Infrastructure.Secrets;

/// <summary>Secrets for local mode: one AES-GCM encrypted file per secret, under a key file readable by the owner only.</summary>
public sealed class LocalSecretStore : ISecretStore
{
    private readonly string directory;
    private readonly Lazy<byte[]> key;

    public LocalSecretStore(string directory)
    {
        this.directory = directory;
        key = new Lazy<byte[]>(LoadOrCreateKey);
    }

    public async Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new KeyNotFoundException($"No secret named '{name}' in the local secret store.");
        }

        var blob = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (blob.Length < 28)
        {
            throw new CryptographicException($"The local secret '{name}' is damaged.");
        }

        var plain = new byte[blob.Length - 28];
        using var aes = new AesGcm(key.Value, 16);
        aes.Decrypt(blob.AsSpan(0, 12), blob.AsSpan(28), blob.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes(name));
        return Encoding.UTF8.GetString(plain);
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plain = Encoding.UTF8.GetBytes(value);
        var blob = new byte[28 + plain.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, 12));
        using (var aes = new AesGcm(key.Value, 16))
        {
            // The name is authenticated data: a file copied under another name does not decrypt.
            aes.Encrypt(blob.AsSpan(0, 12), plain, blob.AsSpan(28), blob.AsSpan(12, 16), Encoding.UTF8.GetBytes(name));
        }

        var path = PathOf(name);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, blob, cancellationToken).ConfigureAwait(false);
        RestrictToOwner(temp);
        File.Move(temp, path, overwrite: true);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(name)); // no error when the file does not exist
        return Task.CompletedTask;
    }

    private string PathOf(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 127 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("Secret names are 1-127 letters, digits and '-'.", nameof(name));
        }

        return Path.Combine(directory, name + ".secret");
    }

    private byte[] LoadOrCreateKey()
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(directory, "store.key");
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        var temp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temp, fresh);
        RestrictToOwner(temp);
        try
        {
            File.Move(temp, path, overwrite: false);
            return fresh;
        }
        catch (IOException)
        {
            // another process created the key first: use theirs
            File.Delete(temp);
            return File.ReadAllBytes(path);
        }
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
