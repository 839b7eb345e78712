using Azure.Data.Tables;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Suppressed recipients (partition = recipient domain, row = address).</summary>
public sealed class TableSuppressionList(StorageClients storage, TimeProvider time) : ISuppressionList
{
    public async Task AddAsync(string address, string reason, string evidence, CancellationToken cancellationToken)
    {
        // the address becomes a row key: anything that is not an address (a 2 KB string a report named) is refused here
        var normalized = EmailAddress.Normalize(address) ?? throw new ArgumentException($"Not an address that can be suppressed: '{Shorten(address)}'.", nameof(address));
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
        // no invalid address was ever stored; asking about one must not become a 400 from storage
        if (EmailAddress.Normalize(address) is not { } normalized)
        {
            return false;
        }

        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(
            TableKey.Escape(EmailAddress.DomainOf(normalized)), TableKey.Escape(normalized), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    public async Task<Suppression?> GetAsync(string address, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalize(address) is not { } normalized)
        {
            return null;
        }

        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(
            TableKey.Escape(EmailAddress.DomainOf(normalized)), TableKey.Escape(normalized), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToSuppression(row.Value!) : null;
    }

    public async Task<bool> RemoveAsync(string address, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalize(address) is not { } normalized)
        {
            return false;
        }

        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(
            TableKey.Escape(EmailAddress.DomainOf(normalized)), TableKey.Escape(normalized), Azure.ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async IAsyncEnumerable<Suppression> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToSuppression(row);
        }
    }

    private static Suppression ToSuppression(TableEntity row) =>
        new(row.GetString("Address") ?? string.Empty, row.GetString("Reason") ?? string.Empty, row.GetString("Evidence") ?? string.Empty, row.GetDateTimeOffset("AddedAt") ?? default);

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
