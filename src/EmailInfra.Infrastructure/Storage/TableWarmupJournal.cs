using System.Globalization;
using Azure.Data.Tables;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Warm-up days in the WarmupDays table: partition = mailbox, row = yyyyMMdd, so a mailbox's history is one range query.</summary>
public sealed class TableWarmupJournal(StorageClients storage) : IWarmupJournal
{
    public async Task<WarmupDayRecord?> GetAsync(string mailbox, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WarmupDays, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(mailbox), TableKey.Day(day), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    public async Task<WarmupDayRecord?> LatestBeforeAsync(string mailbox, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WarmupDays, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(mailbox);
        var from = TableKey.Day(day.AddDays(-28));
        var to = TableKey.Day(day);
        WarmupDayRecord? latest = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            latest = FromRow(row); // rows come in row-key order: the last is the latest
        }

        return latest;
    }

    public async Task<IReadOnlyList<WarmupDayRecord>> ListAsync(string mailbox, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WarmupDays, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(mailbox);
        var list = new List<WarmupDayRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromRow(row));
        }

        return list;
    }

    public async Task UpsertAsync(WarmupDayRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await storage.TableAsync(TableNames.WarmupDays, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToRow(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToRow(WarmupDayRecord r) => new(TableKey.Escape(r.Mailbox), TableKey.Day(r.Day))
    {
        ["Mailbox"] = r.Mailbox,
        ["BaseVolume"] = r.BaseVolume,
        ["Planned"] = r.Planned,
        ["Outcome"] = r.Outcome,
        ["Sent"] = r.Sent,
        ["HardBounces"] = r.HardBounces,
        ["Complaints"] = r.Complaints,
        ["PlacedInbox"] = r.PlacedInbox,
        ["PlacedJunk"] = r.PlacedJunk,
        ["Replies"] = r.Replies,
        ["Health"] = r.Health?.ToString(),
        ["NextVolume"] = r.NextVolume,
        ["TargetReached"] = r.TargetReached,
        ["UpdatedAt"] = r.UpdatedAt,
    };

    private static WarmupDayRecord FromRow(TableEntity row) => new()
    {
        Mailbox = row.GetString("Mailbox"),
        Day = DateOnly.ParseExact(row.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture),
        BaseVolume = row.GetInt32("BaseVolume") ?? 0,
        Planned = row.GetInt32("Planned") ?? 0,
        Outcome = row.GetString("Outcome") ?? "planned",
        Sent = row.GetInt32("Sent") ?? 0,
        HardBounces = row.GetInt32("HardBounces") ?? 0,
        Complaints = row.GetInt32("Complaints") ?? 0,
        PlacedInbox = row.GetInt32("PlacedInbox") ?? 0,
        PlacedJunk = row.GetInt32("PlacedJunk") ?? 0,
        Replies = row.GetInt32("Replies") ?? 0,
        Health = row.GetString("Health") is { } health ? Enum.Parse<DayHealth>(health) : null,
        NextVolume = row.GetInt32("NextVolume"),
        TargetReached = row.GetBoolean("TargetReached") ?? false,
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
    };
}
