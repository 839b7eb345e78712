namespace EmailInfra.Core.Secrets;

/// <summary>Where mailbox passwords live: Key Vault in Azure, an encrypted local store in local mode.</summary>
/// <remarks>Tables hold only the secret's name. Values never pass through logs, queues or API responses.</remarks>
public interface ISecretStore
{
    /// <summary>Returns the secret's value; throws <see cref="KeyNotFoundException"/> if there is none.</summary>
    Task<string> GetAsync(string name, CancellationToken cancellationToken);

    Task SetAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Removes the secret (Key Vault keeps it soft-deleted for its retention period); nothing happens when there is none.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Credential lookup shared by every path that logs in to a mailbox's servers.</summary>
public static class SecretStoreExtensions
{
    public static async Task<Mailboxes.MailboxCredentials> CredentialsForAsync(this ISecretStore secrets, Mailboxes.Mailbox mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(mailbox);
        return new Mailboxes.MailboxCredentials(mailbox.Username, await secrets.GetAsync(mailbox.SecretName, cancellationToken).ConfigureAwait(false));
    }
}
