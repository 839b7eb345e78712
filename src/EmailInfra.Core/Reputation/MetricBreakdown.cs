using System.Text;

namespace EmailInfra.Core.Reputation;

/// <summary>
/// Names of breakdown counters: a metric by recipient provider ("Sent__google"), and bounces by reason and provider
/// ("Reason__blocked__google"). Health rules read them to act on one provider's verdict (throttle a pool towards
/// Microsoft) rather than on the pool's average. Parts are reduced to letters and digits so a name is a valid table column.
/// </summary>
public static class MetricBreakdown
{
    public const string Separator = "__";

    public static string ByProvider(MailboxMetric metric, string provider) => metric + Separator + Part(provider);

    public static string ByReason(string reason, string provider) => "Reason" + Separator + Part(reason) + Separator + Part(provider);

    /// <summary>The breakdowns one event of <paramref name="metric"/> towards <paramref name="provider"/> counts under (none without a provider).</summary>
    public static IReadOnlyList<string> For(MailboxMetric metric, string? provider) =>
        string.IsNullOrWhiteSpace(provider) ? [] : [ByProvider(metric, provider)];

    /// <summary>Lower-case letters and digits only; anything else becomes '_' (provider names come from data, reasons from the classifier).</summary>
    public static string Part(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value.Trim().ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return sb.Length == 0 ? "unknown" : sb.ToString();
    }
}
