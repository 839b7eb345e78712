using Azure;
using Azure.Security.KeyVault.Secrets;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Infrastructure.Secrets;

/// <summary>Secrets in Azure Key Vault, reached with the app's managed identity.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secret.Value.Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new KeyNotFoundException($"No secret named '{name}' in Key Vault.", ex);
        }
    }

    public Task SetAsync(string name, string value, CancellationToken cancellationToken) =>
        client.SetSecretAsync(name, value, cancellationToken);
}

/// <summary>Where secrets are kept. Bound from the "Secrets" configuration section.</summary>
public sealed class SecretStoreOptions
{
    public const string Section = "Secrets";

    /// <summary>Key Vault URI (https://NAME.vault.azure.net/). When set, secrets live there.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Directory of the local secret store, used when no Key Vault is configured.</summary>
    public string LocalPath { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".emailinfra", "secrets");
}
