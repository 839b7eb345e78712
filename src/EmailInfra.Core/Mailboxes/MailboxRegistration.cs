using EmailInfra.Core.Domains;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Core.Mailboxes;

/// <summary>What an operator supplies to add a mailbox. The password goes to the secret store, nowhere else.</summary>
public sealed record MailboxRegistration(
    string Address,
    string PoolId,
    MailServerEndpoint Smtp,
    MailServerEndpoint Imap,
    string? Username,
    string Password,
    bool AppendToSent = false,
    bool Force = false)
{
    // A record's generated ToString would print the password.
    public override string ToString() => $"{Address} in pool {PoolId}";
}

/// <summary>Registers mailboxes: validates, stores the password as a secret, records domain, pool and mailbox.</summary>
/// <remarks>A mailbox on a domain configured as primary (<see cref="DomainOptions.Primary"/>) is refused unless forced, or unless the domain was registered forced.</remarks>
public sealed class MailboxRegistry(IMailboxStore mailboxes, IDomainStore domains, ISecretStore secrets, Microsoft.Extensions.Options.IOptions<DomainOptions> domainOptions, TimeProvider time)
{
    /// <summary>
    /// The secret name under which a mailbox's password is kept: a readable part (the address with every character Key Vault
    /// does not allow in a name as '-') and a hash of the whole address, so two addresses never share a name
    /// (a.b@x.com and a@b.x.com read alike) and any valid address fits Key Vault's 127 characters.
    /// </summary>
    /// <remarks>
    /// Mailboxes keep the name they were registered under (<see cref="Mailbox.SecretName"/>), so secrets named by an
    /// earlier scheme keep working; registering such a mailbox again moves its password to its own name.
    /// </remarks>
    public static string SecretNameFor(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = address.Trim().ToLowerInvariant();
        var readable = new string(normalized.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').Take(64).ToArray());
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalized)))[..32];
        return $"mailbox-{readable}-{hash}";
    }

    public async Task<Mailbox> RegisterAsync(MailboxRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = new Dictionary<string, string[]>();
        var address = EmailAddress.Normalize(registration.Address);
        if (address is null)
        {
            errors["address"] = ["must be a plain address such as name@example.com"];
        }

        if (!PoolIds.IsValid(registration.PoolId))
        {
            errors["poolId"] = ["must be 1-63 characters: lower-case letters, digits and '-'"];
        }

        Check(errors, "smtp", registration.Smtp);
        Check(errors, "imap", registration.Imap);
        if (string.IsNullOrEmpty(registration.Password))
        {
            errors["password"] = ["is required"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var domain = EmailAddress.DomainOf(address!);
        var registered = await domains.GetAsync(domain, cancellationToken).ConfigureAwait(false);
        if (domainOptions.Value.IsPrimary(domain) && !registration.Force && registered is not { Forced: true })
        {
            throw new PrimaryDomainException(domain);
        }

        if (registered is { Retired: true })
        {
            throw new InvalidRequestException("address", $"the domain {domain} is retired; no mailbox of it sends again");
        }

        var now = time.GetUtcNow();
        var secretName = SecretNameFor(address!);
        await secrets.SetAsync(secretName, registration.Password, cancellationToken).ConfigureAwait(false);
        if (await mailboxes.GetPoolAsync(registration.PoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            await mailboxes.UpsertPoolAsync(new SendingPool(registration.PoolId, registration.PoolId, "UTC", now), cancellationToken).ConfigureAwait(false);
        }

        await domains.EnsureAsync(new SendingDomain(domain, now, Retired: false) { Forced = registration.Force && domainOptions.Value.IsPrimary(domain) }, cancellationToken).ConfigureAwait(false);
        var existing = await mailboxes.GetAsync(registration.PoolId, address!, cancellationToken).ConfigureAwait(false);
        var mailbox = new Mailbox(
            address!,
            registration.PoolId,
            registration.Smtp,
            registration.Imap,
            string.IsNullOrWhiteSpace(registration.Username) ? address! : registration.Username.Trim(),
            secretName,
            // re-registering with a new password is how an operator repairs refused credentials
            existing?.State is null or MailboxState.Paused ? MailboxState.Warming : existing.State,
            existing?.CreatedAt ?? now,
            registration.AppendToSent,
            existing?.State == MailboxState.Paused ? "re-registered after: " + existing.StateReason : null);
        await mailboxes.UpsertAsync(mailbox, cancellationToken).ConfigureAwait(false);
        return mailbox;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, MailServerEndpoint? endpoint)
    {
        if (endpoint is null || string.IsNullOrWhiteSpace(endpoint.Host) || Uri.CheckHostName(endpoint.Host) == UriHostNameType.Unknown)
        {
            errors[field + ".host"] = ["must be a host name or IP address"];
        }

        if (endpoint is null || endpoint.Port is < 1 or > 65535)
        {
            errors[field + ".port"] = ["must be between 1 and 65535"];
        }
    }
}

/// <summary>Rules for sending pool ids, which appear in table keys and queue messages.</summary>
public static class PoolIds
{
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 63 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
