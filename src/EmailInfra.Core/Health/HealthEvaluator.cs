using System.Globalization;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Health;

/// <summary>A scope's new health record, and the finding that explains a change of level (null when the level stayed).</summary>
public sealed record HealthVerdict(HealthRecord Record, bool LevelChanged, HealthFinding? Cause, IReadOnlyList<string> ProviderChanges);

/// <summary>
/// Applies the rules to one scope's signals: pure, so every rule, the minimum sample and the hysteresis are tested on
/// recorded histories without storage. A finding is held until its evidence clears (a rate below <c>clearRatio</c> of the
/// threshold it fired at; a condition no longer true); a window below its minimum sample neither fires nor clears; and a
/// level is lowered only after <c>minimumHold</c>. Operator overrides are floors (see <see cref="HealthOverride"/>).
/// </summary>
public static class HealthEvaluator
{
    public static HealthVerdict Evaluate(HealthRules rules, HealthScope scope, HealthSignals signals, HealthRecord? current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(signals);
        current ??= new HealthRecord(scope) { Since = now };
        if (current.Level == HealthLevel.Retired)
        {
            return new HealthVerdict(current with { EvaluatedAt = now }, false, null, []);
        }

        var previous = current.Findings.ToDictionary(f => f.Key, StringComparer.Ordinal);
        var evidenceFrom = current.EvidenceSince is { } since ? DateOnly.FromDateTime(since.UtcDateTime).AddDays(1) : (DateOnly?)null;
        var findings = new List<HealthFinding>();
        foreach (var rule in rules.Rules.Where(r => r.Scopes.Contains(scope.Kind)))
        {
            switch (rule.Kind)
            {
                case HealthRuleKind.Rate:
                {
                    var from = signals.WindowStart(rule.WindowDays, evidenceFrom);
                    var found = RateFinding(rule, rule.Id, null, signals.Sum(rule.Numerator, from), signals.Sum(rule.Denominator, from),
                        $"{string.Join("+", rule.Numerator)} per {string.Join("+", rule.Denominator)}", Window(from, signals.Today), previous, rules.ClearRatio);
                    Add(findings, found);
                    break;
                }

                case HealthRuleKind.ProviderReasons:
                {
                    var from = signals.WindowStart(rule.WindowDays, evidenceFrom);
                    var providers = signals.ProvidersSentTo(from).Concat(previous.Values.Where(f => f.Rule == rule.Id && f.Provider is not null).Select(f => f.Provider!)).Distinct(StringComparer.Ordinal);
                    foreach (var provider in providers)
                    {
                        var refused = rule.Reasons.Sum(reason => signals.SumBreakdown(MetricBreakdown.ByReason(reason, provider), from));
                        var sent = signals.SumBreakdown(MetricBreakdown.ByProvider(MailboxMetric.Sent, provider), from);
                        var found = RateFinding(rule, rule.Id + ":" + provider, provider, refused, sent,
                            $"bounces ({string.Join(", ", rule.Reasons)}) from {provider} per send to {provider}", Window(from, signals.Today), previous, rules.ClearRatio);

                        // towards one provider the pool is slowed, never stopped: the other providers still judge it well
                        Add(findings, found is null ? null : found with { Level = found.Level > HealthLevel.Throttled ? HealthLevel.Throttled : found.Level });
                    }

                    break;
                }

                case HealthRuleKind.ProviderRate:
                {
                    var from = signals.WindowStart(rule.WindowDays, evidenceFrom);
                    var providers = signals.ProvidersSentTo(from).Concat(previous.Values.Where(f => f.Rule == rule.Id && f.Provider is not null).Select(f => f.Provider!)).Distinct(StringComparer.Ordinal);
                    foreach (var provider in providers)
                    {
                        var numerator = rule.Numerator.Sum(m => signals.SumBreakdown(MetricBreakdown.ByProvider(m, provider), from));
                        var denominator = rule.Denominator.Sum(m => signals.SumBreakdown(MetricBreakdown.ByProvider(m, provider), from));
                        var found = RateFinding(rule, rule.Id + ":" + provider, provider, numerator, denominator,
                            $"{string.Join("+", rule.Numerator)} per {string.Join("+", rule.Denominator)} at {provider}", Window(from, signals.Today), previous, rules.ClearRatio);
                        Add(findings, found is null ? null : found with { Level = found.Level > HealthLevel.Throttled ? HealthLevel.Throttled : found.Level });
                    }

                    break;
                }

                case HealthRuleKind.Audit:
                    Add(findings, AuditFinding(rule, signals.Audits.Where(a => current.EvidenceSince is not { } s || a.At > s).ToList(), previous));
                    break;

                case HealthRuleKind.Connection:
                {
                    var failing = signals.Connections.Where(c => c.Status == rule.Status && (current.EvidenceSince is not { } s || c.CheckedAt > s)).ToList();
                    Add(findings, failing.Count == 0 ? null : new HealthFinding(
                        rule.Id,
                        rule.Id,
                        rule.Action,
                        string.Join("; ", failing.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Protocol} {c.Status} since {c.Since:u}, {c.Failures} failed attempt(s): {c.LastError}"))),
                        null,
                        rule.ThrottleFactor));
                    break;
                }
            }
        }

        var scopeFindings = findings.Where(f => f.Provider is null).ToList();
        var level = scopeFindings.Count == 0 ? HealthLevel.Clear : scopeFindings.Max(f => f.Level);
        var floor = current.Override is { Level: > HealthLevel.Clear } pinned ? pinned.Level : HealthLevel.Clear;
        if (level < current.Level && now - current.Since < rules.MinimumHold)
        {
            // too soon to lower the level: the findings that held it stay in force until the hold is over
            foreach (var old in current.Findings.Where(f => f.Provider is null && f.Level > HealthLevel.Clear))
            {
                var index = findings.FindIndex(f => f.Key == old.Key);
                if (index < 0)
                {
                    findings.Add(old);
                }
                else if (findings[index].Level < old.Level)
                {
                    findings[index] = old;
                }
            }

            level = current.Level;
        }

        level = level < floor ? floor : level;
        var throttling = findings.Where(f => f.Provider is null && f.Level == HealthLevel.Throttled).ToList();
        var providerThrottles = findings.Where(f => f.Provider is not null && f.Level == HealthLevel.Throttled)
            .GroupBy(f => f.Provider!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(f => f.ThrottleFactor), StringComparer.Ordinal);
        var changes = providerThrottles.Keys.Except(current.ProviderThrottles.Keys).Select(p => p + " throttled")
            .Concat(current.ProviderThrottles.Keys.Except(providerThrottles.Keys).Select(p => p + " released"))
            .ToList();
        var changed = level != current.Level;
        var record = current with
        {
            Level = level,
            Since = changed ? now : current.Since,
            Findings = findings,
            ThrottleFactor = level == HealthLevel.Throttled ? (throttling.Count > 0 ? throttling.Min(f => f.ThrottleFactor) : 0.5) : 1.0,
            ProviderThrottles = providerThrottles,
            EvaluatedAt = now,
        };
        var cause = !changed ? null
            : level > current.Level ? findings.Where(f => f.Provider is null && f.Level == level).FirstOrDefault() ?? OverrideFinding(current.Override)
            : new HealthFinding("cleared", "cleared", level, current.Findings.Count == 0 ? "no finding in force" : "cleared: " + string.Join("; ", current.Findings.Where(f => f.Provider is null && f.Level > level).Select(f => f.Key + " (" + f.Evidence + ")")));
        return new HealthVerdict(record, changed, cause, changes);
    }

    private static HealthFinding? OverrideFinding(HealthOverride? pinned) =>
        pinned is null ? null : new HealthFinding("override", "override", pinned.Level, $"operator {pinned.Actor} at {pinned.At:u}: {pinned.Note}");

    private static void Add(List<HealthFinding> findings, HealthFinding? finding)
    {
        if (finding is { Level: > HealthLevel.Clear })
        {
            findings.Add(finding);
        }
    }

    private static string Window(DateOnly from, DateOnly to) => from == to ? $"{from:yyyy-MM-dd}" : $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}";

    private static HealthFinding? RateFinding(HealthRule rule, string key, string? provider, long numerator, long denominator, string what, string window, Dictionary<string, HealthFinding> previous, double clearRatio)
    {
        previous.TryGetValue(key, out var was);
        if (denominator < rule.MinimumSample)
        {
            // too few to judge either way: a finding in force stays (absence of evidence does not clear it), none is raised
            return was;
        }

        var rate = (double)numerator / denominator;
        var level = rule.LevelFor(rate);
        if (was is not null && was.Level > level && rule.ThresholdOf(was.Level) is { } firedAt && rate >= firedAt * clearRatio)
        {
            level = was.Level; // hysteresis: it clears only well below the threshold it fired at
        }

        if (level == HealthLevel.Clear)
        {
            return null;
        }

        var threshold = rule.ThresholdOf(level)!.Value;
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"{rule.Id}: {numerator} of {denominator} ({what}) = {rate:P2} over {window} ({rule.WindowDays}-day window); {Name(level)} at {(rule.Strictly ? ">" : ">=")} {threshold:P2}, minimum sample {rule.MinimumSample}");
        return new HealthFinding(key, rule.Id, level, evidence, provider, rule.ThrottleFactor);
    }

    private static HealthFinding? AuditFinding(HealthRule rule, IReadOnlyList<AuditReport> audits, Dictionary<string, HealthFinding> previous)
    {
        var checks = audits.SelectMany(a => a.Findings.Select(f => (a.Domain, Finding: f))).Where(x => rule.CheckPattern!.IsMatch(x.Finding.Check)).ToList();
        var failing = checks.Where(x => x.Finding.Status == AuditStatus.Fail).ToList();
        if (failing.Count > 0)
        {
            return new HealthFinding(rule.Id, rule.Id, rule.Action, string.Join("; ", failing.Select(x => $"{x.Domain} {x.Finding.Check}: {x.Finding.Summary}" + (x.Finding.Fix is null ? string.Empty : $" (publish: {x.Finding.Fix})"))), null, rule.ThrottleFactor);
        }

        // no report, or a check unknown (DNS trouble is not the domain's, nor proof of a fix): a finding in force stays
        return checks.Count == 0 || checks.Any(x => x.Finding.Status == AuditStatus.Unknown) ? previous.GetValueOrDefault(rule.Id) : null;
    }

    private static string Name(HealthLevel level) => level switch
    {
        HealthLevel.RampHeld => "holds the ramp",
        HealthLevel.Throttled => "throttles",
        HealthLevel.Paused => "pauses",
        _ => level.ToString().ToLowerInvariant(),
    };
}
