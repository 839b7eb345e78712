using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Sending;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>
/// Send counters (partition = scope, row "c") with one reservation marker per send (row "r|sendId") in the same partition,
/// so a marker and its increment commit together, guarded by the counter's ETag. A rolling window's counter row holds its
/// recent buckets ("Buckets": start ticks and count per bucket) and each marker the bucket it was counted in; a marker from a
/// bucket that has left the window no longer holds a place (a send deferred for hours counts again when it goes).
/// </summary>
public sealed class TableCapacityCounters(StorageClients storage) : ICapacityCounters
{
    private const string CounterRow = "c";

    public Task<Reservation> TryReserveAsync(CapacityScope scope, string sendId, int limit, TimeSpan minGap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Rolling is { } window
            ? TryReserveRollingAsync(scope, window, sendId, limit, now, cancellationToken)
            : TryReserveFixedAsync(scope, sendId, limit, minGap, now, cancellationToken);
    }

    private async Task<Reservation> TryReserveFixedAsync(CapacityScope scope, string sendId, int limit, TimeSpan minGap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(scope.Key);
        var markerKey = MarkerKey(sendId);
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

    private async Task<Reservation> TryReserveRollingAsync(CapacityScope scope, TimeSpan window, string sendId, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(scope.Key);
        var markerKey = MarkerKey(sendId);
        var bucket = CapacityScope.BucketOf(now);
        var oldest = bucket - window;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(partition, markerKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var buckets = current.HasValue ? RollingBuckets.Parse(current.Value!.GetString("Buckets")) : new SortedDictionary<long, int>();
            RollingBuckets.DropBefore(buckets, oldest);
            var count = buckets.Values.Sum();
            if (marker.HasValue && marker.Value!.GetInt64("Bucket") is { } held && held >= oldest.UtcTicks)
            {
                return new Reservation(ReservationOutcome.AlreadyHeld, count, null);
            }

            if (count >= limit)
            {
                // A place frees when enough of the oldest buckets leave the window.
                return new Reservation(ReservationOutcome.CapReached, count, null, RollingBuckets.FreesAt(buckets, count - limit + 1, window));
            }

            buckets[bucket.UtcTicks] = buckets.GetValueOrDefault(bucket.UtcTicks) + 1;
            var counter = current.HasValue ? current.Value! : new TableEntity(partition, CounterRow) { ["Scope"] = scope.Key };
            counter["Buckets"] = RollingBuckets.Format(buckets);
            counter["Count"] = count + 1;
            var newMarker = new TableEntity(partition, markerKey) { ["SendId"] = sendId, ["At"] = now, ["Bucket"] = bucket.UtcTicks };
            var actions = new List<TableTransactionAction>
            {
                marker.HasValue ? new(TableTransactionActionType.UpdateReplace, newMarker, marker.Value!.ETag) : new(TableTransactionActionType.Add, newMarker),
                current.HasValue ? new(TableTransactionActionType.UpdateReplace, counter, counter.ETag) : new(TableTransactionActionType.Add, counter),
            };
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new Reservation(ReservationOutcome.Reserved, count + 1, now);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                await Contention.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Could not reserve in {scope.Key}: too much contention.");
    }

    private static string MarkerKey(string sendId) => "r|" + TableKey.Escape(sendId);

    public async Task ReleaseAsync(CapacityScope scope, string sendId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(scope.Key);
        var markerKey = MarkerKey(sendId);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(partition, markerKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!marker.HasValue || !current.HasValue)
            {
                return;
            }

            var counter = current.Value!;
            if (scope.Rolling is not null)
            {
                // Only the bucket the send was counted in gives the place back; a bucket already gone needs nothing.
                var buckets = RollingBuckets.Parse(counter.GetString("Buckets"));
                if (marker.Value!.GetInt64("Bucket") is { } bucket && buckets.TryGetValue(bucket, out var n))
                {
                    if (n <= 1)
                    {
                        buckets.Remove(bucket);
                    }
                    else
                    {
                        buckets[bucket] = n - 1;
                    }
                }

                counter["Buckets"] = RollingBuckets.Format(buckets);
                counter["Count"] = buckets.Values.Sum();
            }
            else
            {
                counter["Count"] = Math.Max(0, (counter.GetInt32("Count") ?? 0) - 1);
            }

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
        if (!row.HasValue)
        {
            return 0;
        }

        if (scope.Rolling is { } window)
        {
            var buckets = RollingBuckets.Parse(row.Value!.GetString("Buckets"));
            RollingBuckets.DropBefore(buckets, scope.WindowEnd - CapacityScope.Bucket - window);
            return buckets.Values.Sum();
        }

        return row.Value!.GetInt32("Count") ?? 0;
    }

    public async Task SetBackoffAsync(string pool, string provider, DateTimeOffset until, string reason, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape($"backoff|{pool}|{provider}");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, "b", cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing.HasValue && existing.Value!.GetDateTimeOffset("Until") >= until)
            {
                return;
            }

            // Written only over the row that was read: a concurrent writer's longer back-off is never shortened by this one.
            var row = new TableEntity(partition, "b") { ["Until"] = until, ["Reason"] = reason, ["Pool"] = pool, ["Provider"] = provider };
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(row, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                await Contention.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Could not set the back-off of pool {pool} from {provider}: too much contention.");
    }

    public async Task<DateTimeOffset?> BackoffUntilAsync(string pool, string provider, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Counters, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape($"backoff|{pool}|{provider}"), "b", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetDateTimeOffset("Until") is { } until && until > now ? until : null;
    }
}
