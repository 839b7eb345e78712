using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Secrets;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Inbox;

/// <summary>What one poll found, per kind of signal.</summary>
public sealed record PollSummary(int Messages, int Bounces, int WarmupPlacements, int Replies, int Malformed)
{
    public static readonly PollSummary Empty = new(0, 0, 0, 0, 0);

    public PollSummary Add(PollSummary other) => new(
        Messages + other.Messages, Bounces + other.Bounces, WarmupPlacements + other.WarmupPlacements, Replies + other.Replies, Malformed + other.Malformed);
}

/// <summary>Polls one mailbox: syncs INBOX and Junk incrementally, classifies new mail, applies effects, saves sync state.</summary>
/// <remarks>
/// Effects are idempotent (keyed by Message-ID and recipient) and the sync state is saved after them,
/// so an interrupted poll repeats some work on the next run but never counts anything twice.
/// No message can stop a folder: one whose handling fails for a reason of its own (it does not parse, it is too large,
/// the server says NO to it, storage refuses a value it carries) is recorded with its mailbox, folder and UID and
/// skipped, and the folder advances past it. Only an outage stops a poll: storage unreachable (the job is retried and
/// resumes where the saved state says) or the mailbox's server (recorded as its connection state; the job completes,
/// and the next interval tries again).
/// </remarks>
public sealed class PollHandler(
    IMailboxStore mailboxes,
    IConnectionStates connections,
    IStorageOutage outages,
    ISecretStore secrets,
    IMailboxReader reader,
    ISyncStateStore syncStates,
    ISendLedger ledger,
    IMetricsStore metrics,
    ISuppressionList suppressions,
    SendScheduler scheduler,
    SendingCalendar calendar,
    IOptions<PollingOptions> options,
    BounceRules rules,
    Webhooks.WebhookPublisher webhooks,
    TimeProvider time,
    ILogger<PollHandler> logger)
{
    public Task<PollSummary> HandleAsync(string message, CancellationToken cancellationToken) =>
        HandleAsync(PollJob.Parse(message), cancellationToken);

    public async Task<PollSummary> HandleAsync(PollJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var mailbox = await mailboxes.GetAsync(job.PoolId, job.Mailbox, cancellationToken).ConfigureAwait(false);
        if (mailbox is null || mailbox.State == MailboxState.Retired)
        {
            InboxLog.MailboxGone(logger, job.Mailbox);
            return PollSummary.Empty;
        }

        var credentials = await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
        IInboxSession session;
        try
        {
            session = await reader.OpenAsync(mailbox, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (MailboxUnreachableException ex)
        {
            await RecordConnectionAsync(mailbox, ex, cancellationToken).ConfigureAwait(false);
            return PollSummary.Empty;
        }

        await RecordConnectionAsync(mailbox, null, cancellationToken).ConfigureAwait(false);
        var summary = PollSummary.Empty;
        try
        {
            await using (session.ConfigureAwait(false))
            {
                foreach (var status in await session.StatusAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Nothing new since the saved state: the folder is not even selected, so an idle poll costs one command.
                    var state = await syncStates.GetAsync(mailbox.Address, status.Role, cancellationToken).ConfigureAwait(false);
                    if (NothingNew(state, status))
                    {
                        continue;
                    }

                    summary = summary.Add(await SyncFolderAsync(mailbox, session, status.Role, state, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        catch (MailboxUnreachableException ex)
        {
            // the session broke mid-poll: what was handled is saved (see SyncFolderAsync); the next interval goes on from there
            await RecordConnectionAsync(mailbox, ex, cancellationToken).ConfigureAwait(false);
        }

        if (summary.Messages > 0)
        {
            InboxLog.Polled(logger, mailbox.Address, summary.Messages, summary.Bounces, summary.WarmupPlacements);
        }
        else
        {
            InboxLog.NothingNew(logger, mailbox.Address);
        }

        return summary;
    }

    /// <summary>
    /// Keeps the mailbox's IMAP connection state: written when it changes (logged once per change, not per poll), on every
    /// failure (the count of consecutive failures), and at most hourly while it stays healthy.
    /// </summary>
    private async Task RecordConnectionAsync(Mailbox mailbox, MailboxUnreachableException? failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await connections.GetAsync(mailbox.Address, MailProtocol.Imap, cancellationToken).ConfigureAwait(false);
        var status = failure is null ? ConnectionStatus.Ok : failure.CredentialsRefused ? ConnectionStatus.CredentialsRefused : ConnectionStatus.Unreachable;
        if (failure is null && current is { Status: ConnectionStatus.Ok } && now - current.CheckedAt < TimeSpan.FromHours(1))
        {
            return;
        }

        var changed = current is null || current.Status != status;
        var since = changed ? now : current!.Since;
        var failures = failure is null ? 0 : (current?.Failures ?? 0) + 1;
        await connections.SaveAsync(new MailboxConnection(mailbox.Address, MailProtocol.Imap, status, since, now, failures, failure?.Message), cancellationToken).ConfigureAwait(false);
        if (!changed)
        {
            return;
        }

        if (failure is not null)
        {
            InboxLog.ImapUnreachable(logger, mailbox.Address, status, failure.Message);
        }
        else if (current is not null)
        {
            InboxLog.ImapAnswersAgain(logger, mailbox.Address, current.Failures, now - current.Since);
        }
    }

    /// <summary>Whether a folder holds nothing past the saved state (same UIDVALIDITY, no UID handed out since).</summary>
    private static bool NothingNew(FolderSyncState? state, FolderSnapshot folder) =>
        state is not null && state.UidValidity == folder.UidValidity && folder.UidNext != 0 && folder.UidNext <= state.LastUid + 1;

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private async Task<PollSummary> SyncFolderAsync(Mailbox mailbox, IInboxSession session, FolderRole role, FolderSyncState? state, CancellationToken cancellationToken)
    {
        var folder = await session.OpenFolderAsync(role, cancellationToken).ConfigureAwait(false);
        if (folder is null)
        {
            return PollSummary.Empty;
        }

        var lastUid = state is not null && state.UidValidity == folder.UidValidity ? state.LastUid : 0u;
        if (state is not null && state.UidValidity != folder.UidValidity)
        {
            // UIDs of the old validity mean nothing now; effects are keyed by Message-ID, so a full resync counts nothing twice.
            InboxLog.UidValidityChanged(logger, mailbox.Address, folder.Name, state.UidValidity, folder.UidValidity);
        }

        // the selected folder may tell a newer story than the status a moment ago; it is checked the same way
        if (NothingNew(state, folder))
        {
            return PollSummary.Empty;
        }

        var headers = await session.FetchHeadersAfterAsync(lastUid, options.Value.MaxMessagesPerFolder, cancellationToken).ConfigureAwait(false);
        var summary = PollSummary.Empty;
        var saved = lastUid;
        try
        {
            foreach (var item in headers)
            {
                summary = summary.Add(await HandleIsolatedAsync(mailbox, session, folder, item, cancellationToken).ConfigureAwait(false));
                lastUid = Math.Max(lastUid, item.Uid);
            }
        }
        catch (Exception) when (lastUid > saved)
        {
            // an outage (or the end of the run) stopped the folder: keep what was done, so the retry starts after it
            await SaveProgressBestEffortAsync(mailbox, role, folder, lastUid).ConfigureAwait(false);
            throw;
        }

        await syncStates.SaveAsync(
            new FolderSyncState(mailbox.Address, role, folder.Name, folder.UidValidity, lastUid, folder.HighestModSeq, time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private async Task SaveProgressBestEffortAsync(Mailbox mailbox, FolderRole role, FolderSnapshot folder, uint lastUid)
    {
        try
        {
            // HIGHESTMODSEQ is not advanced: the folder was not read to its end
            await syncStates.SaveAsync(
                new FolderSyncState(mailbox.Address, role, folder.Name, folder.UidValidity, lastUid, 0, time.GetUtcNow()),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // storage is what failed, most likely: the next poll repeats these messages, and their effects count once
            InboxLog.ProgressNotSaved(logger, mailbox.Address, folder.Name, lastUid, ex.Message);
        }
    }

    /// <summary>
    /// Handles one message so that nothing about it can stop the folder: a failure of its own is recorded (mailbox, folder,
    /// UID, error) and the message skipped; an outage of storage or of the mailbox's server, or cancellation, goes up.
    /// </summary>
    private async Task<PollSummary> HandleIsolatedAsync(Mailbox mailbox, IInboxSession session, FolderSnapshot folder, InboundHeaders item, CancellationToken cancellationToken)
    {
        try
        {
            return await HandleMessageAsync(mailbox, session, folder, item, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (MailboxUnreachableException or OperationCanceledException or OutOfMemoryException) && !outages.IsOutage(ex))
        {
            return await SkipAsync(mailbox, folder, item, $"{ex.GetType().Name}: {ex.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records a message that is not handled (the log line names it; the mailbox's daily Unprocessed count holds it once).</summary>
    private async Task<PollSummary> SkipAsync(Mailbox mailbox, FolderSnapshot folder, InboundHeaders item, string reason, CancellationToken cancellationToken)
    {
        InboxLog.Skipped(logger, mailbox.Address, folder.Name, item.Uid, reason);
        await metrics.CountOnceAsync(
            mailbox.Address, Today(), MailboxMetric.Unprocessed, $"unprocessed|{folder.Name}|{folder.UidValidity}|{item.Uid}", cancellationToken).ConfigureAwait(false);
        return new PollSummary(1, 0, 0, 0, 1);
    }

    /// <summary>A key for a message that carries no usable id: the same message in the same folder gives the same key on every poll.</summary>
    private static string PlaceOf(FolderSnapshot folder, InboundHeaders item) => $"{folder.Name}|{folder.UidValidity}|{item.Uid}";

    private async Task<PollSummary> HandleMessageAsync(Mailbox mailbox, IInboxSession session, FolderSnapshot folder, InboundHeaders item, CancellationToken cancellationToken)
    {
        InboundVerdict verdict;
        try
        {
            var needsBody = MessageClassifier.NeedsBody(item.Headers, rules, item.CarriesMessage);
            if (needsBody && item.Size > options.Value.MaxMessageBytes)
            {
                // what one message may cost is bounded: its body is never downloaded
                return await SkipAsync(
                    mailbox, folder, item, $"{item.Size} octets, over Polling:MaxMessageBytes ({options.Value.MaxMessageBytes}); not downloaded", cancellationToken).ConfigureAwait(false);
            }

            if (needsBody)
            {
                // disposed once classified: MimeKit's entities have finalizers (see ClassificationRow)
                using var message = await session.FetchMessageAsync(item.Uid, cancellationToken).ConfigureAwait(false);
                verdict = MessageClassifier.Classify(message, rules);
            }
            else
            {
                verdict = MessageClassifier.ClassifyHeaders(item.Headers);
            }
        }
        catch (Exception ex) when (MessageClassifier.IsUnreadableMessage(ex))
        {
            verdict = new MalformedVerdict(ex.Message);
        }

        switch (verdict)
        {
            case BounceVerdict bounce:
                var linked = await ApplyBounceAsync(mailbox, bounce, cancellationToken).ConfigureAwait(false);
                return new PollSummary(1, linked, 0, 0, 0);
            case ComplaintVerdict complaint:
                return new PollSummary(1, await ApplyComplaintAsync(mailbox, complaint, PlaceOf(folder, item), cancellationToken).ConfigureAwait(false), 0, 0, 0);
            case AutoReplyVerdict autoReply:
                await ApplyAutoReplyAsync(mailbox, autoReply, PlaceOf(folder, item), cancellationToken).ConfigureAwait(false);
                return new PollSummary(1, 0, 0, 0, 0);
            case OrdinaryVerdict ordinary:
                return await ApplyOrdinaryAsync(mailbox, session, folder, item, ordinary, cancellationToken).ConfigureAwait(false);
            case MalformedVerdict malformed:
                InboxLog.Malformed(logger, mailbox.Address, folder.Name, item.Uid, malformed.Reason);
                await metrics.CountOnceAsync(
                    mailbox.Address, Today(), MailboxMetric.Malformed,
                    "malformed|" + PlaceOf(folder, item), cancellationToken).ConfigureAwait(false);
                return new PollSummary(1, 0, 0, 0, 1);
            default:
                return new PollSummary(1, 0, 0, 0, 0);
        }
    }

    private async Task<int> ApplyBounceAsync(Mailbox mailbox, BounceVerdict bounce, CancellationToken cancellationToken)
    {
        var byMessageId = bounce.OriginalMessageId is null ? null : await ledger.FindByMessageIdAsync(bounce.OriginalMessageId, cancellationToken).ConfigureAwait(false);
        var counted = 0;
        foreach (var recipient in bounce.Recipients.Where(r => r.IsFailure))
        {
            // Bounces that do not quote the original are linked by recipient and time: this mailbox's latest send to them.
            var entry = byMessageId ?? await LatestSendToAsync(mailbox.Address, recipient.Address, cancellationToken).ConfigureAwait(false);
            if (entry is null || !string.Equals(entry.Recipient, recipient.Address, StringComparison.OrdinalIgnoreCase))
            {
                InboxLog.BounceUnlinked(logger, mailbox.Address, recipient.Address, bounce.OriginalMessageId);
                continue;
            }

            if (entry.State != SendState.Bounced)
            {
                var updated = await ledger.TryReplaceAsync(
                    entry with { State = SendState.Bounced, BounceStatus = recipient.Status, BounceDiagnostic = recipient.Diagnostic, UpdatedAt = time.GetUtcNow() },
                    cancellationToken).ConfigureAwait(false);
                entry = updated ?? await ledger.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) ?? entry;
            }

            var metric = recipient.IsHard ? MailboxMetric.HardBounces : MailboxMetric.SoftBounces;
            // by provider and by reason too: health rules act on one provider's refusals of the sender (blocked, spamdetected, ...)
            string[] breakdowns = entry.Provider is { } provider ? [MetricBreakdown.ByProvider(metric, provider), MetricBreakdown.ByReason(recipient.Reason, provider)] : [];
            await metrics.CountOnceAsync(entry.Key.Mailbox, entry.Key.Day, metric, $"bounce|{entry.MessageId}|{recipient.Address}", breakdowns, cancellationToken).ConfigureAwait(false);
            if (recipient.IsHard)
            {
                await suppressions.AddAsync(recipient.Address, "hard-bounce " + recipient.Status, entry.MessageId ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            // published whether or not the count above was new: a poll repeated after a crash publishes the same event, delivered once
            await webhooks.PublishAsync(
                Webhooks.WebhookEvent.For(Webhooks.WebhookEventKinds.Bounce, $"{entry.MessageId ?? entry.Key.SendId}|{recipient.Address}", time.GetUtcNow(), new Dictionary<string, object?>
                {
                    ["mailbox"] = entry.Key.Mailbox,
                    ["pool"] = entry.PoolId,
                    ["recipient"] = recipient.Address,
                    ["sendId"] = entry.Key.SendId,
                    ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
                    ["messageId"] = entry.MessageId,
                    ["status"] = recipient.Status,
                    ["reason"] = recipient.Reason,
                    ["hard"] = recipient.IsHard,
                    ["diagnostic"] = recipient.Diagnostic,
                }),
                cancellationToken).ConfigureAwait(false);

            InboxLog.BounceLinked(logger, entry.Key.Mailbox, entry.Key.SendId, recipient.Address, recipient.Status);
            counted++;
        }

        return counted;
    }

    private async Task<LedgerEntry?> LatestSendToAsync(string mailbox, string recipient, CancellationToken cancellationToken)
    {
        var today = Today();
        for (var back = 0; back < 4; back++)
        {
            var rows = await ledger.ListDayAsync(mailbox, today.AddDays(-back), cancellationToken).ConfigureAwait(false);
            var latest = rows.Where(r => r.State is SendState.Sent or SendState.Bounced or SendState.Unverified && string.Equals(r.Recipient, recipient, StringComparison.OrdinalIgnoreCase))
                .MaxBy(r => r.UpdatedAt);
            if (latest is not null)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>
    /// Warm-up mail the plan marked for an answer gets one in-thread, after the planned delay (a send job like any other,
    /// with a send id derived from the original so a second look schedules nothing new); a peer's answer arriving here counts
    /// as a warm-up reply for the original's day.
    /// </summary>
    private async Task AnswerOrCountReplyAsync(Mailbox mailbox, LedgerEntry sent, CancellationToken cancellationToken)
    {
        if (sent.Kind == SendKind.WarmupReply)
        {
            if (sent.InReplyTo is not null && await ledger.FindByMessageIdAsync(sent.InReplyTo, cancellationToken).ConfigureAwait(false) is { } original
                && string.Equals(original.Key.Mailbox, mailbox.Address, StringComparison.OrdinalIgnoreCase))
            {
                await metrics.CountOnceAsync(original.Key.Mailbox, original.Key.Day, MailboxMetric.WarmupReplies, "wreply|" + sent.MessageId, cancellationToken).ConfigureAwait(false);
                InboxLog.WarmupReplied(logger, mailbox.Address, sent.Key.Mailbox);
            }

            return;
        }

        if (sent.ReplyAfter is not { } after || sent.MessageId is null || !mailbox.IsActive)
        {
            return;
        }

        var now = time.GetUtcNow();
        var at = sent.UpdatedAt + after > now ? sent.UpdatedAt + after : now;
        var pool = await mailboxes.GetPoolAsync(mailbox.PoolId, cancellationToken).ConfigureAwait(false);
        await scheduler.ScheduleAsync(
            new SendRequest(
                mailbox.Address,
                sent.Key.Mailbox,
                SendKind.WarmupReply,
                at,
                $"reply-{sent.Key.Mailbox}-{sent.Key.SendId}",
                sent.MessageId,
                sent.Subject,
                pool is null ? null : calendar.DayOf(at, pool)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a reader does with mail from a friend: open it, sometimes star it, and take it out of junk.</summary>
    private async Task EngageAsync(Mailbox mailbox, IInboxSession session, FolderSnapshot folder, InboundHeaders item, string messageId, DateOnly today, CancellationToken cancellationToken)
    {
        // about one in five is flagged, chosen by the Message-ID so a repeated poll makes the same choice
        var flag = Warmup.WarmupContent.StableHash(messageId) % 5 == 0;
        try
        {
            await session.EngageAsync(item.Uid, flag, cancellationToken).ConfigureAwait(false);
            if (folder.Role == FolderRole.Junk)
            {
                await metrics.CountOnceAsync(mailbox.Address, today, MailboxMetric.Rescued, "rescue|" + messageId, cancellationToken).ConfigureAwait(false);
                InboxLog.Rescued(logger, mailbox.Address, folder.Name, messageId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Engagement is best effort: the placement is counted already, and the next poll sees the message again.
            InboxLog.EngagementFailed(logger, mailbox.Address, folder.Name, item.Uid, ex.Message);
        }
    }

    private async Task CountAuthenticationAsync(LedgerEntry sent, MimeKit.HeaderList headers, string messageId, CancellationToken cancellationToken)
    {
        if (AuthenticationVerdicts.From(headers) is not { } auth)
        {
            return;
        }

        foreach (var (result, pass, fail) in new[] { (auth.Spf, MailboxMetric.SpfPass, MailboxMetric.SpfFail), (auth.Dkim, MailboxMetric.DkimPass, MailboxMetric.DkimFail), (auth.Dmarc, MailboxMetric.DmarcPass, MailboxMetric.DmarcFail) })
        {
            if (result is "pass" or "fail")
            {
                await metrics.CountOnceAsync(sent.Key.Mailbox, sent.Key.Day, result == "pass" ? pass : fail, $"auth|{pass}|{messageId}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A feedback report about mail of ours: the complaint counts against the mailbox that sent it, and its recipient is
    /// suppressed. Ours means linked to the ledger, by the original's Message-ID or by a recipient this mailbox sent to;
    /// a report about anything else (forged, misrouted, someone else's mail) changes nothing and is recorded as unlinked,
    /// so a stranger's report cannot suppress an address.
    /// </summary>
    private async Task<int> ApplyComplaintAsync(Mailbox mailbox, ComplaintVerdict complaint, string place, CancellationToken cancellationToken)
    {
        var entry = complaint.OriginalMessageId is null ? null : await ledger.FindByMessageIdAsync(complaint.OriginalMessageId, cancellationToken).ConfigureAwait(false);
        foreach (var named in complaint.Recipients)
        {
            if (entry is not null)
            {
                break;
            }

            // a report may name anything: only an address that could be a recipient is looked for
            if (EmailAddress.Normalize(named) is { } address)
            {
                entry = await LatestSendToAsync(mailbox.Address, address, cancellationToken).ConfigureAwait(false);
            }
        }

        if (entry is null)
        {
            InboxLog.ComplaintUnlinked(logger, mailbox.Address, complaint.FeedbackType, complaint.OriginalMessageId);
            await metrics.CountOnceAsync(
                mailbox.Address, Today(), MailboxMetric.UnlinkedComplaints, "complaint-unlinked|" + (complaint.OriginalMessageId ?? place), cancellationToken).ConfigureAwait(false);
            return 0;
        }

        await suppressions.AddAsync(entry.Recipient, "complaint " + complaint.FeedbackType, entry.MessageId ?? string.Empty, cancellationToken).ConfigureAwait(false);
        await metrics.CountOnceAsync(
            entry.Key.Mailbox, entry.Key.Day, MailboxMetric.Complaints, "complaint|" + (entry.MessageId ?? entry.Key.SendId), cancellationToken).ConfigureAwait(false);
        InboxLog.Complaint(logger, entry.Key.Mailbox, complaint.FeedbackType, entry.MessageId);
        await webhooks.PublishAsync(
            Webhooks.WebhookEvent.For(Webhooks.WebhookEventKinds.Complaint, entry.MessageId ?? entry.Key.SendId, time.GetUtcNow(), new Dictionary<string, object?>
            {
                ["mailbox"] = entry.Key.Mailbox,
                ["pool"] = entry.PoolId,
                ["recipient"] = entry.Recipient,
                ["sendId"] = entry.Key.SendId,
                ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
                ["messageId"] = entry.MessageId,
                ["feedbackType"] = complaint.FeedbackType,
            }),
            cancellationToken).ConfigureAwait(false);
        return 1;
    }

    private async Task ApplyAutoReplyAsync(Mailbox mailbox, AutoReplyVerdict autoReply, string place, CancellationToken cancellationToken)
    {
        var original = autoReply.InReplyTo is null ? null : await ledger.FindByMessageIdAsync(autoReply.InReplyTo, cancellationToken).ConfigureAwait(false);
        var day = original?.Key.Day ?? Today();
        await metrics.CountOnceAsync(mailbox.Address, day, MailboxMetric.AutoReplies, "autoreply|" + (autoReply.MessageId ?? autoReply.InReplyTo ?? place), cancellationToken).ConfigureAwait(false);
        await webhooks.PublishAsync(
            Webhooks.WebhookEvent.For(Webhooks.WebhookEventKinds.AutoReply, $"{mailbox.Address}|{autoReply.MessageId ?? autoReply.InReplyTo ?? place}", time.GetUtcNow(), new Dictionary<string, object?>
            {
                ["mailbox"] = mailbox.Address,
                ["pool"] = mailbox.PoolId,
                ["recipient"] = original?.Recipient,
                ["sendId"] = original?.Key.SendId,
                ["inReplyTo"] = autoReply.InReplyTo,
                ["messageId"] = autoReply.MessageId,
            }),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<PollSummary> ApplyOrdinaryAsync(Mailbox mailbox, IInboxSession session, FolderSnapshot folder, InboundHeaders item, OrdinaryVerdict verdict, CancellationToken cancellationToken)
    {
        if (verdict.MessageId is not null
            && await ledger.FindByMessageIdAsync(verdict.MessageId, cancellationToken).ConfigureAwait(false) is { } sent
            && sent.Kind is SendKind.Warmup or SendKind.WarmupReply
            && string.Equals(sent.Recipient, mailbox.Address, StringComparison.OrdinalIgnoreCase))
        {
            // Warm-up mail from a peer: where it landed is the signal.
            var inInbox = folder.Role == FolderRole.Inbox;
            var key = "placement|" + verdict.MessageId;
            var today = Today();
            await metrics.CountOnceAsync(mailbox.Address, today, inInbox ? MailboxMetric.ReceivedInbox : MailboxMetric.ReceivedJunk, key, cancellationToken).ConfigureAwait(false);
            var placed = inInbox ? MailboxMetric.PlacedInbox : MailboxMetric.PlacedJunk;
            await metrics.CountOnceAsync(sent.Key.Mailbox, sent.Key.Day, placed, key, MetricBreakdown.For(placed, sent.Provider), cancellationToken).ConfigureAwait(false);
            await CountAuthenticationAsync(sent, item.Headers, verdict.MessageId, cancellationToken).ConfigureAwait(false);
            InboxLog.WarmupPlaced(logger, mailbox.Address, sent.Key.Mailbox, folder.Name);
            await AnswerOrCountReplyAsync(mailbox, sent, cancellationToken).ConfigureAwait(false);
            await EngageAsync(mailbox, session, folder, item, verdict.MessageId, today, cancellationToken).ConfigureAwait(false);
            return new PollSummary(1, 0, 1, 0, 0);
        }

        if (verdict.InReplyTo is not null
            && await ledger.FindByMessageIdAsync(verdict.InReplyTo, cancellationToken).ConfigureAwait(false) is { } original
            && string.Equals(original.Key.Mailbox, mailbox.Address, StringComparison.OrdinalIgnoreCase)
            && original.Kind == SendKind.Outbound)
        {
            await metrics.CountOnceAsync(mailbox.Address, original.Key.Day, MailboxMetric.Replies, "reply|" + (verdict.MessageId ?? verdict.InReplyTo), cancellationToken).ConfigureAwait(false);
            InboxLog.Replied(logger, mailbox.Address, original.Recipient, original.Key.SendId);
            await webhooks.PublishAsync(
                Webhooks.WebhookEvent.For(Webhooks.WebhookEventKinds.Reply, $"{mailbox.Address}|{verdict.MessageId ?? verdict.InReplyTo}", time.GetUtcNow(), new Dictionary<string, object?>
                {
                    ["mailbox"] = mailbox.Address,
                    ["pool"] = mailbox.PoolId,
                    ["recipient"] = original.Recipient,
                    ["sendId"] = original.Key.SendId,
                    ["inReplyTo"] = verdict.InReplyTo,
                    ["messageId"] = verdict.MessageId,
                    ["folder"] = folder.Name,
                }),
                cancellationToken).ConfigureAwait(false);
            return new PollSummary(1, 0, 0, 1, 0);
        }

        return new PollSummary(1, 0, 0, 0, 0);
    }
}
