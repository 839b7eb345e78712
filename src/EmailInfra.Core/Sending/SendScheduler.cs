using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Sending;

/// <summary>A request to send one email from a mailbox at a given time (<c>Day</c>: the sending day whose ledger partition holds the row; the UTC date of <c>At</c> when not given).</summary>
public sealed record SendRequest(string Mailbox, string Recipient, SendKind Kind, DateTimeOffset? At = null, string? SendId = null, string? InReplyTo = null, string? Subject = null, DateOnly? Day = null);

/// <summary>An outbound email to plan: to a pool (which rotates its mailboxes) or to one mailbox.</summary>
public sealed record OutboundSendRequest(string? PoolId, string? Mailbox, string Recipient, string Subject, string TextBody, string? HtmlBody = null, string? UnsubscribeUrl = null, DateTimeOffset? NotBefore = null, string? RequestId = null);

/// <summary>Plans sends: writes the planned ledger row, then queues its job to become visible at the planned time.</summary>
public sealed class SendScheduler(ISendLedger ledger, IMailboxStore mailboxes, IJobQueue queue, IOutboundRequests outbound, TimeProvider time)
{
    private const int MaxBodyChars = 30_000;

    /// <summary>Validates and stores an outbound request, then queues its dispatch; the mailbox is chosen when it is dispatched.</summary>
    public async Task<OutboundRequest> ScheduleOutboundAsync(OutboundSendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (RecipientCheck.SyntaxProblem(request.Recipient) is { } problem)
        {
            errors["recipient"] = [problem];
        }

        if (string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Length > 900)
        {
            errors["subject"] = ["is required, at most 900 characters"];
        }

        if (string.IsNullOrWhiteSpace(request.TextBody) || request.TextBody.Length > MaxBodyChars)
        {
            errors["textBody"] = [$"is required, at most {MaxBodyChars} characters"];
        }

        if (request.HtmlBody is { Length: > MaxBodyChars })
        {
            errors["htmlBody"] = [$"at most {MaxBodyChars} characters"];
        }

        if (request.UnsubscribeUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || url.Any(char.IsControl)))
        {
            errors["unsubscribeUrl"] = ["must be an absolute https URL (RFC 8058 one-click)"];
        }

        Mailbox? mailbox = null;
        if (request.Mailbox is not null)
        {
            mailbox = await mailboxes.FindByAddressAsync(EmailAddress.Normalize(request.Mailbox) ?? string.Empty, cancellationToken).ConfigureAwait(false);
            if (mailbox is null || (request.PoolId is not null && mailbox.PoolId != request.PoolId))
            {
                errors["mailbox"] = ["is not a registered mailbox of the pool"];
            }
        }
        else if (request.PoolId is null || await mailboxes.GetPoolAsync(request.PoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            errors["poolId"] = ["must name a registered sending pool (or give a mailbox)"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var now = time.GetUtcNow();
        var stored = new OutboundRequest
        {
            Id = request.RequestId ?? $"out-{Guid.CreateVersion7(now):N}",
            PoolId = mailbox?.PoolId ?? request.PoolId!,
            Mailbox = mailbox?.Address,
            Recipient = request.Recipient.Trim().ToLowerInvariant(),
            Subject = request.Subject.Trim(),
            Content = new OutboundContent(request.TextBody, request.HtmlBody, request.UnsubscribeUrl),
            NotBefore = request.NotBefore ?? now,
        };
        await outbound.TryAddAsync(stored, cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(QueueNames.OutboundJobs, OutboundJob.For(stored), null, cancellationToken).ConfigureAwait(false);
        return stored;
    }

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
            Key = new LedgerKey(mailbox.Address, request.Day ?? DateOnly.FromDateTime(at.UtcDateTime), sendId),
            PoolId = mailbox.PoolId,
            Kind = request.Kind,
            Recipient = to,
            Subject = request.Subject ?? WarmupContent.For(sendId, mailbox.Address).Subject,
            ScheduledAt = at,
            DueAt = at,
            InReplyTo = request.InReplyTo,
            UpdatedAt = now,
        };

        // A second call with the same send id finds the row and only re-queues (the handler makes that harmless), unless it is settled.
        if (!await ledger.TryAddAsync(entry, cancellationToken).ConfigureAwait(false))
        {
            entry = await ledger.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) ?? entry;
            if (entry.State.IsTerminal())
            {
                return entry;
            }
        }

        var delay = at > now ? at - now : (TimeSpan?)null;
        await queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(entry.Key), delay, cancellationToken).ConfigureAwait(false);
        return entry;
    }
}
