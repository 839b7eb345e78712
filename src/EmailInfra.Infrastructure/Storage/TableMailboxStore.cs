using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Domains;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Mailboxes (partition = pool, row = address), sending pools and domains in Azure Tables.</summary>
public sealed class TableMailboxStore(StorageClients storage) : IMailboxStore, IDomainStore
{
    public async Task<Mailbox?> GetAsync(string poolId, string address, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(poolId, TableKey.Escape(address), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToMailbox(row.Value!) : null;
    }

    public async Task<Mailbox?> FindByAddressAsync(string address, CancellationToken cancellationToken)
    {
        // Cross-partition: used on admin paths only; jobs carry the pool id for a point read.
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        var key = TableKey.Escape(address);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == key, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return ToMailbox(row);
        }

        return null;
    }

    public async Task<IReadOnlyList<Mailbox>> ListPoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        var result = new List<Mailbox>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == poolId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToMailbox(row));
        }

        return result;
    }

    public async Task<IReadOnlyList<Mailbox>> ListAllAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        var result = new List<Mailbox>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToMailbox(row));
        }

        return result;
    }

    public async Task UpsertAsync(Mailbox mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(mailbox.PoolId, TableKey.Escape(mailbox.Address))
        {
            ["Address"] = mailbox.Address,
            ["Domain"] = mailbox.Domain,
            ["SmtpHost"] = mailbox.Smtp.Host,
            ["SmtpPort"] = mailbox.Smtp.Port,
            ["SmtpTls"] = mailbox.Smtp.Tls.ToString(),
            ["ImapHost"] = mailbox.Imap.Host,
            ["ImapPort"] = mailbox.Imap.Port,
            ["ImapTls"] = mailbox.Imap.Tls.ToString(),
            ["Username"] = mailbox.Username,
            ["SecretName"] = mailbox.SecretName,
            ["State"] = mailbox.State.ToString(),
            ["CreatedAt"] = mailbox.CreatedAt,
            ["AppendToSent"] = mailbox.AppendToSent,
            ["StateReason"] = mailbox.StateReason,
            ["ThrottleFactor"] = mailbox.ThrottleFactor,
            ["RampHeld"] = mailbox.RampHeld,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SendingPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("pool", poolId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new SendingPool(row.Value!.RowKey, row.Value.GetString("Description") ?? string.Empty, row.Value.GetString("TimeZoneId") ?? "UTC", row.Value.GetDateTimeOffset("CreatedAt") ?? default)
            : null;
    }

    public async Task UpsertPoolAsync(SendingPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity("pool", pool.Id) { ["Description"] = pool.Description, ["TimeZoneId"] = pool.TimeZoneId, ["CreatedAt"] = pool.CreatedAt },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    async Task<SendingDomain?> IDomainStore.GetAsync(string name, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("domain", name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToDomain(row.Value!) : null;
    }

    public async Task<IReadOnlyList<SendingDomain>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        var result = new List<SendingDomain>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "domain", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToDomain(row));
        }

        return result;
    }

    public async Task EnsureAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(
                new TableEntity("domain", domain.Name) { ["RegisteredAt"] = domain.RegisteredAt, ["Retired"] = domain.Retired },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // already registered: keep its history as it is
        }
    }

    async Task IDomainStore.UpsertAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity("domain", domain.Name) { ["RegisteredAt"] = domain.RegisteredAt, ["Retired"] = domain.Retired },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    private static SendingDomain ToDomain(TableEntity row) =>
        new(row.RowKey, row.GetDateTimeOffset("RegisteredAt") ?? default, row.GetBoolean("Retired") ?? false);

    private static Mailbox ToMailbox(TableEntity row) => new(
        row.GetString("Address"),
        row.PartitionKey,
        new MailServerEndpoint(row.GetString("SmtpHost"), row.GetInt32("SmtpPort") ?? 0, Enum.Parse<TlsMode>(row.GetString("SmtpTls"))),
        new MailServerEndpoint(row.GetString("ImapHost"), row.GetInt32("ImapPort") ?? 0, Enum.Parse<TlsMode>(row.GetString("ImapTls"))),
        row.GetString("Username"),
        row.GetString("SecretName"),
        Enum.Parse<MailboxState>(row.GetString("State")),
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetBoolean("AppendToSent") ?? false,
        row.GetString("StateReason"),
        row.GetDouble("ThrottleFactor") ?? 1.0,
        row.GetBoolean("RampHeld") ?? false);
}
