using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Health;

/// <summary>
/// Runs the health rules over every mailbox, domain and pool (the HealthSchedule timer), records each transition with
/// its evidence, and writes the verdict where the senders read it: the mailbox's state, throttle factor and ramp hold
/// (the strictest of its own, its domain's and its pool's), and the pool's record (throttles towards providers).
/// Operators override through <see cref="OverrideAsync"/>.
/// </summary>
public sealed class HealthService(
    HealthRules rules,
    IMailboxStore mailboxes,
    IDomainStore domains,
    IMetricsStore metrics,
    IAuditHistory audits,
    IConnectionStates connections,
    IHealthStates states,
    IHealthEvents events,
    TimeProvider time,
    ILogger<HealthService> logger)
{
    /// <summary>Prefix of <see cref="Mailbox.StateReason"/> when the engine set the state; only such states does it lift again.</summary>
    public const string ReasonPrefix = "health: ";

    public HealthRules Rules => rules;

    public async Task<HealthEvaluation> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = today.AddDays(1 - rules.LongestWindow);
        var all = (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.State != MailboxState.Retired).ToList();
        var days = new Dictionary<string, IReadOnlyList<DailyMetrics>>(StringComparer.OrdinalIgnoreCase);
        var links = new Dictionary<string, IReadOnlyList<MailboxConnection>>(StringComparer.OrdinalIgnoreCase);
        foreach (var mailbox in all)
        {
            days[mailbox.Address] = await metrics.GetRangeAsync(mailbox.Address, first, today, cancellationToken).ConfigureAwait(false);
            var found = new List<MailboxConnection>();
            foreach (var protocol in Enum.GetValues<MailProtocol>())
            {
                if (await connections.GetAsync(mailbox.Address, protocol, cancellationToken).ConfigureAwait(false) is { } c)
                {
                    found.Add(c);
                }
            }

            links[mailbox.Address] = found;
        }

        var reports = new Dictionary<string, AuditReport>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in all.Select(m => m.Domain).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if ((await audits.ListAsync(domain, 1, cancellationToken).ConfigureAwait(false)) is [var latest, ..])
            {
                reports[domain] = latest;
            }
        }

        HealthSignals SignalsOf(IEnumerable<Mailbox> members)
        {
            var list = members.ToList();
            return new HealthSignals(
                today,
                list.SelectMany(m => days[m.Address]).ToList(),
                list.Select(m => m.Domain).Distinct(StringComparer.OrdinalIgnoreCase).Where(reports.ContainsKey).Select(d => reports[d]).ToList(),
                list.SelectMany(m => links[m.Address]).ToList());
        }

        var scopes = all.Select(m => (HealthScope.Mailbox(m.Address), SignalsOf([m])))
            .Concat(all.GroupBy(m => m.Domain, StringComparer.OrdinalIgnoreCase).Select(g => (HealthScope.Domain(g.Key), SignalsOf(g))))
            .Concat(all.GroupBy(m => m.PoolId, StringComparer.Ordinal).Select(g => (HealthScope.Pool(g.Key), SignalsOf(g))))
            .ToList();
        var changed = 0;
        foreach (var (scope, signals) in scopes)
        {
            changed += await EvaluateAsync(scope, signals, now, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        var updated = await ApplyAsync(all, cancellationToken).ConfigureAwait(false);
        HealthLog.Evaluated(logger, scopes.Count, changed, updated);
        return new HealthEvaluation(scopes.Count, changed, updated);
    }

    /// <summary>An operator sets a scope's level (any, including back to clear); recorded as an "override" event and applied to the mailboxes at once.</summary>
    public async Task<HealthRecord> OverrideAsync(HealthScope scope, HealthLevel level, string actor, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var current = await states.GetAsync(scope, cancellationToken).ConfigureAwait(false) ?? new HealthRecord(scope) { Since = now };
            var resumed = level == HealthLevel.Clear;
            var next = current with
            {
                Level = level,
                Since = now,
                Override = new HealthOverride(level, actor, now, note),

                // a resume starts the evidence afresh: what the operator has seen does not pause the scope again
                Findings = resumed ? [] : current.Findings,
                ProviderThrottles = resumed ? new Dictionary<string, double>() : current.ProviderThrottles,
                ThrottleFactor = level == HealthLevel.Throttled ? Math.Min(current.ThrottleFactor, 0.5) : 1.0,
                EvidenceSince = resumed ? now : current.EvidenceSince,
            };
            if (await states.TrySaveAsync(next, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                await events.RecordAsync(
                    new HealthEvent(scope.Key, now, "override", $"operator {actor} set {Name(level)} (was {Name(current.Level)}): {note}")
                    {
                        From = Name(current.Level),
                        To = Name(level),
                        Actor = actor,
                    },
                    cancellationToken).ConfigureAwait(false);
                HealthLog.Overridden(logger, scope.Key, Name(level), actor, note ?? string.Empty);
                if (scope.Kind == ScopeKind.Domain && level == HealthLevel.Retired && await domains.GetAsync(scope.Id, cancellationToken).ConfigureAwait(false) is { } domain)
                {
                    await domains.UpsertAsync(domain with { Retired = true }, cancellationToken).ConfigureAwait(false);
                }

                var all = (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.State != MailboxState.Retired || level != HealthLevel.Retired).ToList();
                await ApplyAsync(all.Where(m => Covers(scope, m)).ToList(), cancellationToken).ConfigureAwait(false);
                return saved;
            }

            if (attempt >= 10)
            {
                throw new InvalidOperationException($"Health of {scope.Key} kept changing under the override.");
            }
        }
    }

    /// <summary>Current record of a scope (clear when never judged).</summary>
    public async Task<HealthRecord> GetAsync(HealthScope scope, CancellationToken cancellationToken) =>
        await states.GetAsync(scope, cancellationToken).ConfigureAwait(false) ?? new HealthRecord(scope);

    public static string Name(HealthLevel level) => level switch
    {
        HealthLevel.RampHeld => "ramp-held",
        _ => level.ToString().ToLowerInvariant(),
    };

    private static bool Covers(HealthScope scope, Mailbox m) => scope.Kind switch
    {
        ScopeKind.Mailbox => string.Equals(m.Address, scope.Id, StringComparison.OrdinalIgnoreCase),
        ScopeKind.Domain => string.Equals(m.Domain, scope.Id, StringComparison.OrdinalIgnoreCase),
        _ => m.PoolId == scope.Id,
    };

    private async Task<bool> EvaluateAsync(HealthScope scope, HealthSignals signals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await states.GetAsync(scope, cancellationToken).ConfigureAwait(false);
            var verdict = HealthEvaluator.Evaluate(rules, scope, signals, current, now);
            if (await states.TrySaveAsync(verdict.Record, cancellationToken).ConfigureAwait(false) is null)
            {
                continue; // an operator changed it meanwhile: judge again from what they set
            }

            var from = Name(current?.Level ?? HealthLevel.Clear);
            if (verdict.LevelChanged && verdict.Cause is { } cause)
            {
                await events.RecordAsync(
                    new HealthEvent(scope.Key, now, "transition", cause.Evidence) { Rule = cause.Rule, From = from, To = Name(verdict.Record.Level) },
                    cancellationToken).ConfigureAwait(false);
                HealthLog.Transition(logger, scope.Key, from, Name(verdict.Record.Level), cause.Rule, cause.Evidence);
            }

            foreach (var change in verdict.ProviderChanges)
            {
                var provider = change[..change.IndexOf(' ', StringComparison.Ordinal)];
                var finding = verdict.Record.Findings.FirstOrDefault(f => f.Provider == provider) ?? current?.Findings.FirstOrDefault(f => f.Provider == provider);
                await events.RecordAsync(
                    new HealthEvent(scope.Key, now, "provider-throttle", $"{change}: {finding?.Evidence}") { Rule = finding?.Rule, To = change },
                    cancellationToken).ConfigureAwait(false);
                HealthLog.ProviderThrottle(logger, scope.Id, provider, change);
            }

            return verdict.LevelChanged;
        }

        return false;
    }

    /// <summary>Writes each mailbox's effective health (the strictest of mailbox, domain and pool) into its record; returns how many changed.</summary>
    private async Task<int> ApplyAsync(IReadOnlyList<Mailbox> targets, CancellationToken cancellationToken)
    {
        var cache = new Dictionary<string, HealthRecord?>(StringComparer.OrdinalIgnoreCase);
        async Task<HealthRecord?> Of(HealthScope scope)
        {
            if (!cache.TryGetValue(scope.Key, out var record))
            {
                record = await states.GetAsync(scope, cancellationToken).ConfigureAwait(false);
                cache[scope.Key] = record;
            }

            return record;
        }

        var updated = 0;
        foreach (var mailbox in targets)
        {
            var own = await Of(HealthScope.Mailbox(mailbox.Address)).ConfigureAwait(false);
            var chain = new[] { own, await Of(HealthScope.Domain(mailbox.Domain)).ConfigureAwait(false), await Of(HealthScope.Pool(mailbox.PoolId)).ConfigureAwait(false) }
                .Where(r => r is not null).Select(r => r!).ToList();
            var worst = chain.Count == 0 ? null : chain.MaxBy(r => r.Level);
            var level = worst?.Level ?? HealthLevel.Clear;
            var factor = chain.Where(r => r.Level == HealthLevel.Throttled).Select(r => r.ThrottleFactor).DefaultIfEmpty(1.0).Min();
            var engineSet = mailbox.StateReason?.StartsWith(ReasonPrefix, StringComparison.Ordinal) == true;
            var lifecycle = mailbox.State is MailboxState.Warming or MailboxState.Healthy;
            MailboxState state;
            string? reason;
            if (level >= HealthLevel.Throttled && (lifecycle || engineSet || level == HealthLevel.Retired))
            {
                state = level switch { HealthLevel.Retired => MailboxState.Retired, HealthLevel.Paused => MailboxState.Paused, _ => MailboxState.Throttled };
                reason = ReasonPrefix + $"{worst!.Scope.Key} {Name(level)}" + (worst.Findings.FirstOrDefault(f => f.Level == level) is { } f ? " by " + f.Rule : worst.Override is { } o ? " by operator " + o.Actor : string.Empty);
                if (lifecycle && own?.ResumeState != mailbox.State)
                {
                    // remember where to return to when the restriction lifts
                    var record = own ?? new HealthRecord(HealthScope.Mailbox(mailbox.Address)) { Since = time.GetUtcNow() };
                    if (await states.TrySaveAsync(record with { ResumeState = mailbox.State }, cancellationToken).ConfigureAwait(false) is { } saved)
                    {
                        cache[saved.Scope.Key] = saved;
                    }
                }
            }
            else if (!lifecycle && engineSet)
            {
                state = own?.ResumeState ?? MailboxState.Warming;
                reason = null;
            }
            else
            {
                // a state the engine did not set (a refused password, a command-line pause) is the operator's to lift
                state = mailbox.State;
                reason = mailbox.StateReason;
            }

            var next = mailbox with { State = state, StateReason = reason, ThrottleFactor = factor, RampHeld = level >= HealthLevel.RampHeld };
            if (next != mailbox)
            {
                await mailboxes.UpsertAsync(next, cancellationToken).ConfigureAwait(false);
                updated++;
            }
        }

        return updated;
    }
}
