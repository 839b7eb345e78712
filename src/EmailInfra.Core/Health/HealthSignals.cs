using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Health;

/// <summary>
/// What the rules read about one scope: the daily counters of its mailboxes (summed), the latest audit of each of its
/// domains and the last connection results of its mailboxes. <see cref="Today"/> is the last day a window includes.
/// </summary>
public sealed record HealthSignals(DateOnly Today, IReadOnlyList<DailyMetrics> Days, IReadOnlyList<AuditReport> Audits, IReadOnlyList<MailboxConnection> Connections)
{
    /// <summary>The window's first day: <paramref name="windowDays"/> days ending today, never before the evidence start.</summary>
    public DateOnly WindowStart(int windowDays, DateOnly? evidenceFrom)
    {
        var start = Today.AddDays(1 - windowDays);
        return evidenceFrom is { } from && from > start ? from : start;
    }

    public long Sum(IEnumerable<MailboxMetric> metrics, DateOnly from) =>
        Days.Where(d => d.Day >= from && d.Day <= Today).Sum(d => metrics.Sum(m => d[m]));

    public long SumBreakdown(string key, DateOnly from) =>
        Days.Where(d => d.Day >= from && d.Day <= Today).Sum(d => d.Breakdown.TryGetValue(key, out var n) ? n : 0);

    /// <summary>The recipient providers this scope sent to in the window.</summary>
    public IReadOnlyList<string> ProvidersSentTo(DateOnly from)
    {
        var prefix = MailboxMetric.Sent + MetricBreakdown.Separator;
        return Days.Where(d => d.Day >= from && d.Day <= Today)
            .SelectMany(d => d.Breakdown.Keys)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
