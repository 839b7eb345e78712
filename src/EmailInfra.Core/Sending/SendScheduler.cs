using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Sending;

/// <summary>A request to send one email from a mailbox at a given time.</summary>
public sealed record SendRequest(string Mailbox, string Recipient, SendKind Kind, DateTimeOffset? At = null, string? SendId = null, string? InReplyTo = null, string? Subject = null);

/// <summary>Plans sends: writes the planned ledger row, then queues its job to become visible at the planned time.</summary>
public sealed class SendScheduler(ISendLedger ledger, IMailboxStore mailboxes, IJobQueue queue, TimeProvider time)
{
    public async Task<LedgerEntry> ScheduleAsync(SendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = EmailAddress.Normalize(request.Mailbox) ?? throw new InvalidRequestException("mailbox", "is not a valid address");
        var to = EmailAddress.Normalize(request.Recipient) ?? throw new InvalidRequestException("recipient", "is not a valid address");
        if (from == to)
        {
            throw new InvalidRequestException("recipient", "a mailbox does not send to itself");
        }

        var mailbox = await mailboxes.FindByAddressAsync(from, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidRequestException("mailbox", $"{from} is not registered");
        var now = time.GetUtcNow();
        var at = request.At ?? now;
        var sendId = request.SendId ?? $"{request.Kind.ToString().ToLowerInvariant()}-{Guid.CreateVersion7(now):N}";
        var entry = new LedgerEntry
        {
            Key = new LedgerKey(mailbox.Address, DateOnly.FromDateTime(at.UtcDateTime), sendId),
            PoolId = mailbox.PoolId,
            Kind = request.Kind,
            Recipient = to,
            Subject = request.Subject ?? WarmupContent.For(sendId, mailbox.Address).Subject,
            ScheduledAt = at,
            InReplyTo = request.InReplyTo,
            UpdatedAt = now,
        };

        // A second call with the same send id finds the row and only re-queues: the handler makes that harmless.
        if (!await ledger.TryAddAsync(entry, cancellationToken).ConfigureAwait(false))
        {
            entry = await ledger.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) ?? entry;
        }

        var delay = at > now ? at - now : (TimeSpan?)null;
        await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(entry.Key), delay, cancellationToken).ConfigureAwait(false);
        return entry;
    }
}
