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
        await table.UpsertEntityAsync(ToRow(mailbox), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryWriteAsync(Mailbox mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        return await TryWriteRowAsync(table, ToRow(mailbox), mailbox.ETag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryDeleteAsync(string poolId, string address, string? etag, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Mailboxes, cancellationToken).ConfigureAwait(false);
        return await TryDeleteRowAsync(table, poolId, TableKey.Escape(address), etag, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToRow(Mailbox mailbox) => new(mailbox.PoolId, TableKey.Escape(mailbox.Address))
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

    /// <summary>Adds the row when <paramref name="etag"/> is null, else replaces it if its version is still that one.</summary>
    private static async Task<bool> TryWriteRowAsync(TableClient table, TableEntity row, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            if (etag is null)
            {
                await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.UpdateEntityAsync(row, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private static async Task<bool> TryDeleteRowAsync(TableClient table, string partition, string row, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.DeleteEntityAsync(partition, row, etag is null ? ETag.All : new ETag(etag), cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task<SendingPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("pool", poolId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToPool(row.Value!) : null;
    }

    public async Task<IReadOnlyList<SendingPool>> ListPoolsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        var result = new List<SendingPool>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "pool", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToPool(row));
        }

        return result;
    }

    public async Task UpsertPoolAsync(SendingPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToRow(pool), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryWritePoolAsync(SendingPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        return await TryWriteRowAsync(table, ToRow(pool), pool.ETag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryDeletePoolAsync(string poolId, string? etag, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendingPools, cancellationToken).ConfigureAwait(false);
        return await TryDeleteRowAsync(table, "pool", poolId, etag, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToRow(SendingPool pool) =>
        new("pool", pool.Id) { ["Description"] = pool.Description, ["TimeZoneId"] = pool.TimeZoneId, ["CreatedAt"] = pool.CreatedAt };

    private static SendingPool ToPool(TableEntity row) =>
        new(row.RowKey, row.GetString("Description") ?? string.Empty, row.GetString("TimeZoneId") ?? "UTC", row.GetDateTimeOffset("CreatedAt") ?? default)
        {
            ETag = row.ETag.ToString(),
        };

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

        // already registered: keep its history as it is
        _ = await TryWriteRowAsync(table, ToRow(domain), etag: null, cancellationToken).ConfigureAwait(false);
    }

    async Task IDomainStore.UpsertAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToRow(domain), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    async Task<bool> IDomainStore.TryWriteAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        return await TryWriteRowAsync(table, ToRow(domain), domain.ETag, cancellationToken).ConfigureAwait(false);
    }

    async Task<bool> IDomainStore.TryDeleteAsync(string name, string? etag, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Domains, cancellationToken).ConfigureAwait(false);
        return await TryDeleteRowAsync(table, "domain", name, etag, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToRow(SendingDomain domain) => new("domain", domain.Name)
    {
        ["RegisteredAt"] = domain.RegisteredAt,
        ["Retired"] = domain.Retired,
        ["DkimSelectors"] = string.Join(',', domain.DkimSelectors),
        ["Note"] = domain.Note,
        ["Forced"] = domain.Forced,
    };

    private static SendingDomain ToDomain(TableEntity row) =>
        new(row.RowKey, row.GetDateTimeOffset("RegisteredAt") ?? default, row.GetBoolean("Retired") ?? false)
        {
            DkimSelectors = (row.GetString("DkimSelectors") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
            Note = row.GetString("Note"),
            Forced = row.GetBoolean("Forced") ?? false,
            ETag = row.ETag.ToString(),
        };

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
        row.GetBoolean("RampHeld") ?? false)
    {
        ETag = row.ETag.ToString(),
    };
}
