using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmailInfra.Core.Sending;

/// <summary>Pacing and caps, as data: per mailbox per day, per pool per hour, per pool towards each recipient provider per hour.</summary>
/// <remarks>Loaded from a versioned JSON file and validated at start; a bad value names its key.</remarks>
public sealed class SendingLimits
{
    public required int Version { get; init; }

    public required MailboxLimits Mailbox { get; init; }

    public required PoolLimits Pool { get; init; }

    public required ProviderLimit DefaultProvider { get; init; }

    public required IReadOnlyList<ProviderLimit> Providers { get; init; }

    public required IReadOnlyList<DeferralRule> DeferralRules { get; init; }

    /// <summary>The recipient provider named by a domain's MX hosts, or "other".</summary>
    public string ProviderOf(IEnumerable<string> mxHosts)
    {
        ArgumentNullException.ThrowIfNull(mxHosts);
        foreach (var host in mxHosts.Select(h => h.TrimEnd('.').ToLowerInvariant()))
        {
            foreach (var provider in Providers)
            {
                if (provider.MxSuffixes.Any(s => host == s || host.EndsWith("." + s, StringComparison.Ordinal)))
                {
                    return provider.Name;
                }
            }
        }

        return "other";
    }

    public int ProviderHourlyCap(string provider) =>
        Providers.FirstOrDefault(p => p.Name == provider)?.HourlyCapPerPool ?? DefaultProvider.HourlyCapPerPool;

    /// <summary>The first deferral rule a transient reply matches, if any.</summary>
    public DeferralRule? DeferralFor(int? replyCode, string reply) =>
        DeferralRules.FirstOrDefault(r => (replyCode is null || r.ReplyCodes.Count == 0 || r.ReplyCodes.Contains(replyCode.Value)) && r.Pattern.IsMatch(reply));

    /// <summary>The limits compiled into the app.</summary>
    public static SendingLimits Default() => Parse(RuleFileText.Embedded("EmailInfra.Core.sending-limits.json"), "embedded sending-limits.json");

    public static SendingLimits Load(string? path) => string.IsNullOrWhiteSpace(path) ? Default() : Parse(File.ReadAllText(path), path);

    public static SendingLimits Parse(string json, string source)
    {
        var root = RuleFileText.Parse(json, source);
        var reader = new RuleFileReader(source);
        var version = reader.Int(root, "version", 1, 1);
        var mailbox = reader.Object(root, "mailbox");
        var pool = reader.Object(root, "pool");
        var limits = new SendingLimits
        {
            Version = version,
            Mailbox = new MailboxLimits(reader.Int(mailbox, "mailbox.dailyCap", 1, 100_000), TimeSpan.FromSeconds(reader.Int(mailbox, "mailbox.minGapSeconds", 0, 86_400))),
            Pool = new PoolLimits(reader.Int(pool, "pool.hourlyCap", 1, 1_000_000)),
            DefaultProvider = new ProviderLimit("other", [], reader.Int(reader.Object(root, "defaultProvider"), "defaultProvider.hourlyCapPerPool", 1, 1_000_000)),
            Providers = reader.Array(root, "providers").Select((p, i) => new ProviderLimit(
                reader.String(p, $"providers[{i}].name"),
                reader.Array(p, $"providers[{i}].mxSuffixes").Select((s, j) => s.ValueKind == JsonValueKind.String ? s.GetString()!.ToLowerInvariant() : throw reader.Error($"providers[{i}].mxSuffixes[{j}]", "must be a string")).ToList(),
                reader.Int(p, $"providers[{i}].hourlyCapPerPool", 1, 1_000_000))).ToList(),
            DeferralRules = reader.Array(root, "deferralRules").Select((r, i) => new DeferralRule(
                reader.String(r, $"deferralRules[{i}].name"),
                reader.Array(r, $"deferralRules[{i}].replyCodes").Select(c => c.TryGetInt32(out var code) && code is >= 400 and < 500 ? code : throw reader.Error($"deferralRules[{i}].replyCodes", "must be 4xx reply codes")).ToList(),
                reader.Regex(r, $"deferralRules[{i}].textPattern"),
                TimeSpan.FromMinutes(reader.Int(r, $"deferralRules[{i}].backoffMinutes", 1, 7 * 24 * 60)))).ToList(),
        };
        var duplicate = limits.Providers.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw reader.Error("providers", $"provider '{duplicate.Key}' is listed twice");
        }

        return limits;
    }
}

/// <summary>How much one mailbox may send: a daily cap and a minimum gap between two sends.</summary>
public sealed record MailboxLimits(int DailyCap, TimeSpan MinGap);

/// <summary>How much a sending pool may send per hour, all providers together.</summary>
public sealed record PoolLimits(int HourlyCap);

/// <summary>A recipient provider, recognised by its MX host suffixes, and what one pool may send it per hour.</summary>
public sealed record ProviderLimit(string Name, IReadOnlyList<string> MxSuffixes, int HourlyCapPerPool);

/// <summary>A transient reply that signals rate limiting or reputation trouble: slow that pool towards that provider.</summary>
public sealed record DeferralRule(string Name, IReadOnlyList<int> ReplyCodes, Regex Pattern, TimeSpan Backoff);
