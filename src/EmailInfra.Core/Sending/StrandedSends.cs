using EmailInfra.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Sending;

/// <summary>
/// Finds unfinished ledger rows that have lost their job and queues one again. A job is lost when the host moves it to the
/// poison queue while storage or DNS is down (so its row could not say so), or when a re-queue failed after a crash.
/// </summary>
/// <remarks>
/// Queuing a row that still has a job is harmless: the handler claims rows with an ETag and a lease, so a second job finds
/// the row taken, or settled, and ends. Rows are looked at from two days back: older unfinished rows were planned for days
/// whose sending window has closed.
/// </remarks>
public sealed class StrandedSends(ISendLedger ledger, IJobQueue queue, IOptions<SendingOptions> options, TimeProvider time, ILogger<StrandedSends> logger)
{
    /// <summary>Queues a job for every stranded row; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var opts = options.Value;
        var rows = await ledger.ListUnfinishedAsync(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2), cancellationToken).ConfigureAwait(false);
        var queued = 0;
        foreach (var row in rows)
        {
            if (IsStranded(row, now, opts))
            {
                await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(row.Key), null, cancellationToken).ConfigureAwait(false);
                queued++;
            }
        }

        if (queued > 0)
        {
            SendLog.StrandedRequeued(logger, queued);
        }

        return queued;
    }

    /// <summary>Whether a row is well past the time its job was due: its planned time, the end of its deferral, or its lease.</summary>
    public static bool IsStranded(LedgerEntry row, DateTimeOffset now, SendingOptions options)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(options);
        var open = row.State is SendState.Planned or SendState.Deferred or SendState.Sending
            || (row.State == SendState.Sent && row.SentCopy == SentCopyState.Pending);
        if (!open)
        {
            return false;
        }

        var due = row.DueAt ?? row.ScheduledAt;
        if (row.State == SendState.Sending && (row.ClaimedAt ?? row.UpdatedAt) + options.SendingLease is var leaseEnd && leaseEnd > due)
        {
            due = leaseEnd;
        }

        return now - due > options.StrandedAfter;
    }
}
