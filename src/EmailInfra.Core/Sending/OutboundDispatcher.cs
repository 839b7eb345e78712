using EmailInfra.Core.Health;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Sending;

/// <summary>What dispatching one outbound request came to.</summary>
public enum DispatchResult
{
    Assigned,
    AlreadyAssigned,
    Rejected,

    /// <summary>No healthy mailbox of the pool has capacity left today; tried again when the day turns.</summary>
    Waiting,
    NotFound,
}

/// <summary>
/// Turns an outbound request addressed to a pool into a ledger row of one mailbox: checks the recipient, then picks the
/// healthy mailbox with the most capacity left today, preferring domains that have sent least, and records the choice.
/// </summary>
public sealed class OutboundDispatcher(
    IOutboundRequests requests,
    IMailboxStore mailboxes,
    SendingLimits limits,
    RecipientCheck recipients,
    ISendLedger ledger,
    IJobQueue queue,
    IHealthStates health,
    TimeProvider time,
    ILogger<OutboundDispatcher> logger)
{
    public Task<DispatchResult> HandleAsync(string message, CancellationToken cancellationToken) =>
        HandleAsync(OutboundJob.Parse(message), cancellationToken);

    public async Task<DispatchResult> HandleAsync(OutboundJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var request = await requests.GetAsync(job.PoolId, job.RequestId, cancellationToken).ConfigureAwait(false);
            if (request is null)
            {
                return DispatchResult.NotFound;
            }

            switch (request.State)
            {
                case OutboundState.Rejected:
                    return DispatchResult.Rejected;
                case OutboundState.Assigned:
                    // A crash after the assignment: make sure the ledger row and its job exist (both idempotent).
                    await PlanSendAsync(request, cancellationToken).ConfigureAwait(false);
                    return DispatchResult.AlreadyAssigned;
            }

            RecipientVerdict verdict;
            try
            {
                verdict = await recipients.CheckAsync(request.Recipient, checkSuppression: true, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await queue.EnqueueAsync(QueueNames.OutboundJobs, job, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
                return DispatchResult.Waiting;
            }

            if (!verdict.Valid)
            {
                if (await requests.TryReplaceAsync(request with { State = OutboundState.Rejected, Reason = verdict.Reason }, cancellationToken).ConfigureAwait(false) is null)
                {
                    continue;
                }

                OutboundLog.Rejected(logger, request.PoolId, request.Id, verdict.Reason ?? string.Empty);
                return DispatchResult.Rejected;
            }

            var now = time.GetUtcNow();
            var chosen = await ChooseAsync(request, now, cancellationToken).ConfigureAwait(false);
            if (chosen is null)
            {
                var tomorrow = CapacityScope.MailboxDay("-", now, TimeZoneInfo.Utc).WindowEnd;
                await queue.EnqueueAsync(QueueNames.OutboundJobs, job, tomorrow - now + TimeSpan.FromSeconds(Random.Shared.Next(1, 600)), cancellationToken).ConfigureAwait(false);
                OutboundLog.NoCapacity(logger, request.PoolId, request.Id);
                return DispatchResult.Waiting;
            }

            var day = DateOnly.FromDateTime((request.NotBefore > now ? request.NotBefore : now).UtcDateTime);
            var assigned = await requests.TryReplaceAsync(
                request with { State = OutboundState.Assigned, AssignedMailbox = chosen.Address, AssignedDay = day }, cancellationToken).ConfigureAwait(false);
            if (assigned is null)
            {
                continue; // another dispatcher got there first: look again
            }

            await PlanSendAsync(assigned, cancellationToken).ConfigureAwait(false);
            OutboundLog.Assigned(logger, request.PoolId, request.Id, chosen.Address);
            return DispatchResult.Assigned;
        }

        throw new InvalidOperationException($"Outbound request {job.RequestId} kept changing under the dispatcher.");
    }

    private async Task<Mailbox?> ChooseAsync(OutboundRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pool = await mailboxes.ListPoolAsync(request.PoolId, cancellationToken).ConfigureAwait(false);
        // outbound goes through warmed mailboxes only: healthy ones, and throttled ones that were healthy, at their reduced cap
        var candidates = new List<Mailbox>();
        foreach (var m in pool.Where(m => m.State is MailboxState.Healthy or MailboxState.Throttled && (request.Mailbox is null || m.Address == request.Mailbox)))
        {
            if (m.State == MailboxState.Healthy || (await health.GetAsync(HealthScope.Mailbox(m.Address), cancellationToken).ConfigureAwait(false))?.ResumeState == MailboxState.Healthy)
            {
                candidates.Add(m);
            }
        }

        // Today's load is every row planned for the mailbox today (sent or not yet), so a burst of dispatches spreads out
        // before any of them has been sent.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var mailbox in candidates)
        {
            var rows = await ledger.ListDayAsync(mailbox.Address, today, cancellationToken).ConfigureAwait(false);
            used[mailbox.Address] = rows.Count(r => r.State is not (SendState.Failed or SendState.Bounced or SendState.Cancelled) || r.MessageId is not null);
        }

        var usedByDomain = candidates.GroupBy(m => m.Domain).ToDictionary(g => g.Key, g => g.Sum(m => used[m.Address]), StringComparer.Ordinal);
        return candidates
            .Where(m => used[m.Address] < CapOf(m))
            .OrderByDescending(m => CapOf(m) - used[m.Address])
            .ThenBy(m => usedByDomain[m.Domain])
            .ThenBy(_ => Random.Shared.Next())
            .FirstOrDefault();
    }

    private int CapOf(Mailbox m) => SendCapacity.Share(limits.Mailbox.DailyCap, m.State == MailboxState.Throttled ? m.ThrottleFactor : 1.0);

    private async Task PlanSendAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        var key = new LedgerKey(request.AssignedMailbox!, request.AssignedDay!.Value, request.Id);
        var now = time.GetUtcNow();
        await ledger.TryAddAsync(
            new LedgerEntry
            {
                Key = key,
                PoolId = request.PoolId,
                Kind = SendKind.Outbound,
                Recipient = request.Recipient,
                Subject = request.Subject,
                Content = request.Content,
                ScheduledAt = request.NotBefore,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        var delay = request.NotBefore > now ? request.NotBefore - now : (TimeSpan?)null;
        await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(key), delay, cancellationToken).ConfigureAwait(false);
    }
}

internal static partial class OutboundLog
{
    [LoggerMessage(1101, LogLevel.Information, "Outbound {RequestId} of pool {Pool} assigned to {Mailbox}")]
    public static partial void Assigned(ILogger logger, string pool, string requestId, string mailbox);

    [LoggerMessage(1102, LogLevel.Warning, "Outbound {RequestId} of pool {Pool} rejected: recipient {Reason}")]
    public static partial void Rejected(ILogger logger, string pool, string requestId, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "Outbound {RequestId}: no healthy mailbox of pool {Pool} has capacity left today; waiting")]
    public static partial void NoCapacity(ILogger logger, string pool, string requestId);
}
