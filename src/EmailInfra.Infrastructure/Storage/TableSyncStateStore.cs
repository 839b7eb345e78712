using Azure.Data.Tables;
using EmailInfra.Core.Inbox;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Per-folder IMAP sync state (partition = mailbox, row = folder role).</summary>
public sealed class TableSyncStateStore(StorageClients storage) : ISyncStateStore
{
    public async Task<FolderSyncState?> GetAsync(string mailbox, FolderRole role, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(mailbox), role.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var r = row.Value!;
        return new FolderSyncState(
            mailbox,
            role,
            r.GetString("FolderName") ?? string.Empty,
            (uint)(r.GetInt64("UidValidity") ?? 0),
            (uint)(r.GetInt64("LastUid") ?? 0),
            (ulong)(r.GetInt64("HighestModSeq") ?? 0),
            r.GetDateTimeOffset("UpdatedAt") ?? default);
    }

    public async Task SaveAsync(FolderSyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var table = await storage.TableAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(TableKey.Escape(state.Mailbox), state.Role.ToString())
            {
                ["FolderName"] = state.FolderName,
                ["UidValidity"] = (long)state.UidValidity,
                ["LastUid"] = (long)state.LastUid,
                ["HighestModSeq"] = (long)state.HighestModSeq,
                ["UpdatedAt"] = state.UpdatedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }
}
