using Azure;
using Azure.Security.KeyVault.Secrets;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Infrastructure.Secrets;

/// <summary>Secrets in Azure Key Vault, reached with the app's managed identity (read through a <see cref="SecretCache"/>).</summary>
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

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            // the vault's soft-delete keeps it recoverable for the retention period; waiting for the purge is not needed
            await client.StartDeleteSecretAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }
}

/// <summary>Where secrets are kept. Bound from the "Secrets" configuration section.</summary>
public sealed class SecretStoreOptions
{
    public const string Section = "Secrets";

    /// <summary>Key Vault URI (https://NAME.vault.azure.net/). When set, secrets live there.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>
    /// Client id of the user-assigned managed identity that reads Key Vault (AZURE_CLIENT_ID, as infra sets it, when this is
    /// empty). Named explicitly so the app never picks another credential from its environment.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How long a secret read from Key Vault is used before it is read again.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the last value read is used while Key Vault cannot be read (throttled, unreachable).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StaleFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Directory of the local secret store, used when no Key Vault is configured.</summary>
    public string LocalPath { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".emailinfra", "secrets");
}
