using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Warmup;

/// <summary>The work behind the warm-up day's activities: planning into the ledger, queueing, pause/resume/stop, and the summary.</summary>
public sealed class WarmupDayService(
    IMailboxStore mailboxes,
    ISendLedger ledger,
    IJobQueue queue,
    IMetricsStore metrics,
    IWarmupJournal journal,
    IMailRouteResolver routes,
    SendingLimits limits,
    WarmupPolicies policies,
    SendingCalendar calendar,
    IOptions<WarmupOptions> options,
    TimeProvider time,
    ILogger<WarmupDayService> logger)
{
    /// <summary>Plans the day into the ledger (one Planned row per send, ids derived from the day), once.</summary>
    public async Task<WarmupDayPlan> PlanAsync(WarmupDayInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pool = await mailboxes.GetPoolAsync(input.PoolId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Sending pool {input.PoolId} is not registered.");
        var (start, end) = calendar.WindowOf(input.Day, pool);
        var summaryAt = end + options.Value.SettleTime;
        var policy = policies.For(input.PoolId, input.Mailbox);
        var previous = await journal.LatestBeforeAsync(input.Mailbox, input.Day, cancellationToken).ConfigureAwait(false);
        var baseVolume = previous?.NextVolume ?? previous?.BaseVolume ?? policy.StartVolume;
        var today = await journal.GetAsync(input.Mailbox, input.Day, cancellationToken).ConfigureAwait(false);
        if (today is not null)
        {
            // planned before (a retried activity, a restarted host): the ledger rows are the plan
            return new WarmupDayPlan(input.Day, today.BaseVolume, today.Planned, start, end, summaryAt, today.Outcome, options.Value.ControlCheck);
        }

        var mailbox = await mailboxes.GetAsync(input.PoolId, input.Mailbox, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        IReadOnlyList<PlannedSend> sends = [];
        string outcome;
        if (mailbox is not { IsActive: true })
        {
            outcome = mailbox is null ? "mailbox not registered" : $"mailbox {mailbox.State.ToString().ToLowerInvariant()}";
        }
        else
        {
            var rows = await ledger.ListDayAsync(mailbox.Address, input.Day, cancellationToken).ConfigureAwait(false);
            var outbound = rows.Count(r => r.Kind == SendKind.Outbound && r.State is not (SendState.Cancelled or SendState.Failed));
            var volume = Ramp.VolumeOn(input.Day, baseVolume, outbound, policy);
            if (mailbox.State == MailboxState.Throttled)
            {
                volume = Sending.SendCapacity.Share(volume, mailbox.ThrottleFactor); // a throttled mailbox warms up at its rule's share
            }

            // a day started late (host down in the morning) plans only what is left of its window
            var from = now > start ? now : start;
            var o = options.Value;
            sends = DayPlanner.Plan(new DayPlanInput(
                mailbox.Address,
                volume,
                from,
                end,
                o.MinimumGap,
                await PeersAsync(mailbox, cancellationToken).ConfigureAwait(false),
                await PairCountsAsync(mailbox.Address, input.Day, cancellationToken).ConfigureAwait(false),
                o.MaxPerPairPerWeek,
                policy.ReplyRate,
                (int)WarmupContent.StableHash($"{mailbox.Address}|{input.Day:yyyyMMdd}"),
                o.ReplyDelayMin,
                o.ReplyDelayMax));
            for (var i = 0; i < sends.Count; i++)
            {
                var sendId = $"warmup-{input.Day:yyyyMMdd}-{i + 1:D3}";
                await ledger.TryAddAsync(
                    new LedgerEntry
                    {
                        Key = new LedgerKey(mailbox.Address, input.Day, sendId),
                        PoolId = mailbox.PoolId,
                        Kind = SendKind.Warmup,
                        Recipient = sends[i].Recipient,
                        Subject = WarmupContent.For(sendId, mailbox.Address).Subject,
                        ScheduledAt = sends[i].At,
                        ReplyAfter = sends[i].Reply ? sends[i].ReplyDelay : null,
                        UpdatedAt = now,
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            outcome = sends.Count > 0 ? "planned" : volume == 0 ? "no capacity left today" : "no peer available";
        }

        await journal.UpsertAsync(
            new WarmupDayRecord
            {
                Mailbox = input.Mailbox,
                Day = input.Day,
                BaseVolume = baseVolume,
                Planned = sends.Count,
                Outcome = outcome,
                TargetReached = previous?.TargetReached ?? false,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        if (sends.Count > 0)
        {
            WarmupLog.Planned(logger, input.Mailbox, input.Day, sends.Count, baseVolume, start, end);
        }
        else
        {
            WarmupLog.NothingPlanned(logger, input.Mailbox, input.Day, outcome);
        }

        return new WarmupDayPlan(input.Day, baseVolume, sends.Count, start, end, summaryAt, outcome, options.Value.ControlCheck);
    }

    /// <summary>Queues every planned send of the day, invisible until its time: one activity instead of a durable timer per email.</summary>
    public async Task<int> EnqueueAsync(WarmupDayInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var row in await WarmupRowsAsync(input, SendState.Planned, cancellationToken).ConfigureAwait(false))
        {
            await EnqueueAsync(row, now, cancellationToken).ConfigureAwait(false);
            queued++;
        }

        return queued;
    }

    /// <summary>Applies an operator's pause, resume or stop to the sends not yet made; returns how many rows it changed.</summary>
    public async Task<int> ControlAsync(WarmupControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Day;
        var now = time.GetUtcNow();
        var changed = 0;
        switch (request.Action)
        {
            case WarmupControlAction.Pause:
                foreach (var row in await WarmupRowsAsync(input, SendState.Planned, cancellationToken).ConfigureAwait(false))
                {
                    changed += await TryChangeAsync(row, e => e with { State = SendState.Held, Reason = "warm-up paused by operator", UpdatedAt = now }, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }

                break;
            case WarmupControlAction.Resume:
                var pool = await mailboxes.GetPoolAsync(input.PoolId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Sending pool {input.PoolId} is not registered.");
                var end = calendar.WindowOf(input.Day, pool).End;
                var next = now;
                foreach (var row in (await WarmupRowsAsync(input, SendState.Held, cancellationToken).ConfigureAwait(false)).OrderBy(r => r.ScheduledAt))
                {
                    // sends whose time passed during the pause go out from now on, a gap apart, while the window lasts
                    var at = row.ScheduledAt > next ? row.ScheduledAt : next;
                    var released = at < end
                        ? row with { State = SendState.Planned, ScheduledAt = at, Reason = null, UpdatedAt = now }
                        : row with { State = SendState.Cancelled, Reason = "window closed while paused", UpdatedAt = now };
                    if (await TryChangeAsync(row, _ => released, cancellationToken).ConfigureAwait(false))
                    {
                        changed++;
                        if (released.State == SendState.Planned)
                        {
                            await EnqueueAsync(released, now, cancellationToken).ConfigureAwait(false);
                            next = at + options.Value.MinimumGap;
                        }
                    }
                }

                break;
            case WarmupControlAction.Stop:
                foreach (var row in await WarmupRowsAsync(input, null, cancellationToken).ConfigureAwait(false))
                {
                    if (row.State is SendState.Planned or SendState.Held or SendState.Deferred)
                    {
                        changed += await TryChangeAsync(row, e => e with { State = SendState.Cancelled, Reason = "warm-up stopped by operator", UpdatedAt = now }, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Action, "unknown control action");
        }

        WarmupLog.Controlled(logger, input.Mailbox, input.Day, request.Action, changed);
        return changed;
    }

    /// <summary>Reads the day's signals, decides tomorrow's base volume by the ramp's health gates, and records both.</summary>
    public async Task<WarmupDayResult> SummariseAsync(WarmupSummaryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Day;
        var policy = policies.For(input.PoolId, input.Mailbox);
        var record = await journal.GetAsync(input.Mailbox, input.Day, cancellationToken).ConfigureAwait(false)
            ?? new WarmupDayRecord { Mailbox = input.Mailbox, Day = input.Day, BaseVolume = policy.StartVolume, Planned = 0, Outcome = "not planned" };
        var day = await metrics.GetAsync(input.Mailbox, input.Day, cancellationToken).ConfigureAwait(false);
        var signals = new DaySignals(
            (int)day[MailboxMetric.Sent],
            (int)day[MailboxMetric.HardBounces],
            (int)day[MailboxMetric.Complaints],
            (int)day[MailboxMetric.PlacedInbox],
            (int)day[MailboxMetric.PlacedJunk]);
        var health = Ramp.HealthOf(signals, policy);
        var reached = record.TargetReached || record.BaseVolume >= policy.Target;

        // Growth needs evidence: a day without sends, or stopped by an operator, holds the volume (but a red day still steps back);
        // so does a health rule holding the ramp (junk placement, throttling) on the mailbox, its domain or its pool.
        var mailbox = await mailboxes.GetAsync(input.PoolId, input.Mailbox, cancellationToken).ConfigureAwait(false);
        var held = mailbox is { RampHeld: true } || mailbox is { IsActive: false };
        var hold = signals.Sent == 0 || ((request.Stopped || held) && health != DayHealth.Red);
        var next = hold ? record.BaseVolume : Ramp.NextVolume(record.BaseVolume, health, reached, policy, input.Day);
        var outcome = request.Stopped ? "stopped" : record.Planned == 0 ? record.Outcome : "completed";
        var summarised = record with
        {
            Outcome = outcome,
            Sent = signals.Sent,
            HardBounces = signals.HardBounces,
            Complaints = signals.Complaints,
            PlacedInbox = signals.PlacedInbox,
            PlacedJunk = signals.PlacedJunk,
            Replies = (int)day[MailboxMetric.WarmupReplies],
            Health = health,
            NextVolume = next,
            TargetReached = reached,
            UpdatedAt = time.GetUtcNow(),
        };
        await journal.UpsertAsync(summarised, cancellationToken).ConfigureAwait(false);
        if (health != DayHealth.Green)
        {
            WarmupLog.Unhealthy(logger, input.Mailbox, input.Day, health, signals.HardBounces, signals.Complaints, signals.PlacedJunk, signals.PlacedInbox + signals.PlacedJunk);
        }

        WarmupLog.Summarised(logger, input.Mailbox, input.Day, signals.Sent, health, record.BaseVolume, next, outcome);
        return new WarmupDayResult(input.Day, record.Planned, signals.Sent, health, record.BaseVolume, next, outcome);
    }

    private async Task<List<LedgerEntry>> WarmupRowsAsync(WarmupDayInput input, SendState? state, CancellationToken cancellationToken) =>
        (await ledger.ListDayAsync(input.Mailbox, input.Day, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Kind == SendKind.Warmup && (state is null || r.State == state))
            .ToList();

    private Task EnqueueAsync(LedgerEntry row, DateTimeOffset now, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(QueueNames.SendJobs, SendJob.For(row.Key), row.ScheduledAt > now ? row.ScheduledAt - now : null, cancellationToken);

    /// <summary>Changes a row unless a send handler got to it first (its ETag moved on): a send already under way is not recalled.</summary>
    private async Task<bool> TryChangeAsync(LedgerEntry row, Func<LedgerEntry, LedgerEntry> change, CancellationToken cancellationToken) =>
        await ledger.TryReplaceAsync(change(row), cancellationToken).ConfigureAwait(false) is not null;

    private async Task<List<WarmupPeer>> PeersAsync(Mailbox mailbox, CancellationToken cancellationToken)
    {
        var peers = new List<WarmupPeer>();
        var providers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var peer in await mailboxes.ListPoolAsync(mailbox.PoolId, cancellationToken).ConfigureAwait(false))
        {
            if (!peer.IsActive || string.Equals(peer.Address, mailbox.Address, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!providers.TryGetValue(peer.Domain, out var provider))
            {
                try
                {
                    provider = limits.ProviderOf((await routes.ResolveAsync(peer.Domain, cancellationToken).ConfigureAwait(false)).MxHosts);
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
                {
                    WarmupLog.PeerProviderUnknown(logger, peer.Domain, ex.Message);
                    provider = "unknown";
                }

                providers[peer.Domain] = provider;
            }

            peers.Add(new WarmupPeer(peer.Address, peer.Domain, provider));
        }

        return peers;
    }

    /// <summary>Warm-up sends to each peer over the seven days up to this one.</summary>
    private async Task<Dictionary<string, int>> PairCountsAsync(string mailbox, DateOnly day, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var back = 1; back < 7; back++)
        {
            foreach (var row in await ledger.ListDayAsync(mailbox, day.AddDays(-back), cancellationToken).ConfigureAwait(false))
            {
                if (row.Kind == SendKind.Warmup && row.State is not SendState.Cancelled)
                {
                    counts[row.Recipient] = counts.GetValueOrDefault(row.Recipient) + 1;
                }
            }
        }

        return counts;
    }
}
