using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Sending;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>
/// Send counters (partition = scope, row "c") with one reservation marker per send (row "r|sendId") in the same partition,
/// so a marker and its increment commit together, guarded by the counter's ETag.
/// </summary>
public sealed class TableCapacityCounters(StorageClients storage) : ICapacityCounters
{
    private const string CounterRow = "c";

    public async Task<Reservation> TryReserveAsync(CapacityScope scope, string sendId, int limit, TimeSpan minGap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(scope.Key);
        var markerKey = "r|" + TableKey.Escape(sendId);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var count = current.HasValue ? (int)(current.Value!.GetInt32("Count") ?? 0) : 0;
            var lastAt = current.HasValue ? current.Value!.GetDateTimeOffset("LastAt") : null;
            var tooSoon = minGap > TimeSpan.Zero && lastAt is { } last && now < last + minGap;
            if (count >= limit || tooSoon)
            {
                var marker = await table.GetEntityIfExistsAsync<TableEntity>(partition, markerKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                return marker.HasValue
                    ? new Reservation(ReservationOutcome.AlreadyHeld, count, lastAt)
                    : new Reservation(count >= limit ? ReservationOutcome.CapReached : ReservationOutcome.TooSoon, count, lastAt);
            }

            var counter = current.HasValue ? current.Value! : new TableEntity(partition, CounterRow) { ["Scope"] = scope.Key, ["WindowEnd"] = scope.WindowEnd };
            counter["Count"] = count + 1;
            counter["LastAt"] = lastAt is { } previous && previous > now ? previous : now;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(partition, markerKey) { ["SendId"] = sendId, ["At"] = now }),
                current.HasValue ? new(TableTransactionActionType.UpdateReplace, counter, counter.ETag) : new(TableTransactionActionType.Add, counter),
            };
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new Reservation(ReservationOutcome.Reserved, count + 1, now);
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex == 0 && ex.Status == 409)
            {
                return new Reservation(ReservationOutcome.AlreadyHeld, count, lastAt);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                await Contention.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Could not reserve in {scope.Key}: too much contention.");
    }

    public async Task ReleaseAsync(CapacityScope scope, string sendId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(scope.Key);
        var markerKey = "r|" + TableKey.Escape(sendId);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(partition, markerKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!marker.HasValue || !current.HasValue)
            {
                return;
            }

            var counter = current.Value!;
            counter["Count"] = Math.Max(0, (counter.GetInt32("Count") ?? 0) - 1);
            try
            {
                await table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.Delete, marker.Value!, marker.Value!.ETag),
                        new(TableTransactionActionType.UpdateReplace, counter, counter.ETag),
                    ],
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                await Contention.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<int> CountAsync(CapacityScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(scope.Key), CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetInt32("Count") ?? 0 : 0;
    }

    public async Task SetBackoffAsync(string pool, string provider, DateTimeOffset until, string reason, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape($"backoff|{pool}|{provider}");
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, "b", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.HasValue && existing.Value!.GetDateTimeOffset("Until") >= until)
        {
            return;
        }

        await table.UpsertEntityAsync(
            new TableEntity(partition, "b") { ["Until"] = until, ["Reason"] = reason, ["Pool"] = pool, ["Provider"] = provider },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> BackoffUntilAsync(string pool, string provider, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape($"backoff|{pool}|{provider}"), "b", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetDateTimeOffset("Until") is { } until && until > now ? until : null;
    }
}
