using Azure.Data.Tables;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Suppressed recipients (partition = recipient domain, row = address).</summary>
public sealed class TableSuppressionList(StorageClients storage, TimeProvider time) : ISuppressionList
{
    public async Task AddAsync(string address, string reason, string evidence, CancellationToken cancellationToken)
    {
        var normalized = address.Trim().ToLowerInvariant();
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(TableKey.Escape(EmailAddress.DomainOf(normalized)), TableKey.Escape(normalized))
            {
                ["Address"] = normalized,
                ["Reason"] = reason,
                ["Evidence"] = evidence,
                ["AddedAt"] = time.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsSuppressedAsync(string address, CancellationToken cancellationToken)
    {
        var normalized = address.Trim().ToLowerInvariant();
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(
            TableKey.Escape(EmailAddress.DomainOf(normalized)), TableKey.Escape(normalized), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }
}
