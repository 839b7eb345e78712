using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>
/// Daily metrics (partition = mailbox, row = yyyyMMdd) with their event markers in the same partition (row = "e|day|hash"),
/// so a marker and its increment commit in one entity-group transaction.
/// </summary>
public sealed class TableMetricsStore(StorageClients storage) : IMetricsStore
{
    public async Task<bool> CountOnceAsync(string mailbox, DateOnly day, MailboxMetric metric, string eventKey, IReadOnlyList<string> breakdowns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        var table = await storage.TableAsync(TableNames.DailyMetrics, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(mailbox);
        var row = TableKey.Day(day);
        // the marker is the event's, not the metric's: one event (a message's placement) counts once, under whichever metric came first
        var marker = new TableEntity(partition, $"e|{row}|{TableKey.Hash(eventKey)}")
        {
            ["Metric"] = metric.ToString(),
            ["EventKey"] = eventKey.Length > 1000 ? eventKey[..1000] : eventKey,
        };
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var metrics = current.HasValue ? current.Value! : new TableEntity(partition, row) { ["Mailbox"] = mailbox };
            var name = metric.ToString();
            metrics[name] = (metrics.GetInt64(name) ?? 0) + 1;
            foreach (var column in breakdowns.Distinct(StringComparer.Ordinal))
            {
                metrics[column] = (metrics.GetInt64(column) ?? 0) + 1;
            }

            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, marker),
                current.HasValue
                    ? new(TableTransactionActionType.UpdateMerge, metrics, metrics.ETag)
                    : new(TableTransactionActionType.Add, metrics),
            };
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex == 0 && ex.Status == 409)
            {
                return false; // this event was counted before
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // another writer updated the metrics row first: read again and retry
                await Contention.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Could not count {metric} for {mailbox} on {day}: too much contention.");
    }

    public async Task<DailyMetrics> GetAsync(string mailbox, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DailyMetrics, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(mailbox), TableKey.Day(day), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Read(mailbox, day, row.Value!) : new DailyMetrics(mailbox, day, new Dictionary<MailboxMetric, long>());
    }

    public async Task<IReadOnlyList<DailyMetrics>> GetRangeAsync(string mailbox, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DailyMetrics, cancellationToken).ConfigureAwait(false);

        // day rows are yyyyMMdd; the event markers ("e|...") sort after every digit, so a key range reads the days alone
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(mailbox)} and RowKey ge {TableKey.Day(first)} and RowKey le {TableKey.Day(last)}");
        var days = new List<DailyMetrics>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (DateOnly.TryParseExact(row.RowKey, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                days.Add(Read(mailbox, day, row));
            }
        }

        return days.OrderBy(d => d.Day).ToList();
    }

    private static DailyMetrics Read(string mailbox, DateOnly day, TableEntity row)
    {
        var counts = new Dictionary<MailboxMetric, long>();
        var breakdown = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in row)
        {
            if (value is not (long or int))
            {
                continue;
            }

            var n = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            if (key.Contains(MetricBreakdown.Separator, StringComparison.Ordinal))
            {
                breakdown[key] = n;
            }
            else if (Enum.TryParse<MailboxMetric>(key, out var metric))
            {
                counts[metric] = n;
            }
        }

        return new DailyMetrics(mailbox, day, counts) { Breakdown = breakdown };
    }
}
