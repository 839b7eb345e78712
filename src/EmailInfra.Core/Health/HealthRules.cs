using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Health;

/// <summary>
/// The health rules, as data: a versioned JSON file (built in: health-rules.json; or <c>Health:RulesFile</c>), validated at
/// start with the offending key named. <see cref="MinimumHold"/> and <see cref="ClearRatio"/> are the hysteresis: a level is
/// kept at least that long, and a rate rule clears only once its rate falls below that share of the threshold it fired at.
/// </summary>
public sealed class HealthRules
{
    public required int Version { get; init; }

    public required TimeSpan MinimumHold { get; init; }

    public required double ClearRatio { get; init; }

    public required IReadOnlyList<HealthRule> Rules { get; init; }

    /// <summary>The longest window any rule reads, in days.</summary>
    public int LongestWindow => Rules.Count == 0 ? 1 : Rules.Max(r => r.WindowDays);

    public static HealthRules Default() => Parse(RuleFileText.Embedded("EmailInfra.Core.health-rules.json"), "embedded health-rules.json");

    public static HealthRules Load(string? path) => string.IsNullOrWhiteSpace(path) ? Default() : Parse(File.ReadAllText(path), path);

    public static HealthRules Parse(string json, string source)
    {
        var root = RuleFileText.Parse(json, source);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{source}: must be a JSON object");
        }

        var read = new RuleReader(source);
        var version = (int)read.Number(root, "version", 1, 1);
        var hold = read.Number(root, "minimumHoldHours", 0, 24 * 30);
        var clear = read.Number(root, "clearRatio", 0.01, 1);
        var rules = read.Array(root, "rules").Select((r, i) => read.Rule(r, $"rules[{i}]")).ToList();
        var duplicate = rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw read.Error("rules", $"rule '{duplicate.Key}' is listed twice");
        }

        return new HealthRules { Version = version, MinimumHold = TimeSpan.FromHours(hold), ClearRatio = clear, Rules = rules };
    }

    private sealed class RuleReader(string source)
    {
        // the counters the send path and the poller break down by recipient provider (see MetricBreakdown)
        private static readonly MailboxMetric[] ByProvider = [MailboxMetric.Sent, MailboxMetric.PlacedInbox, MailboxMetric.PlacedJunk, MailboxMetric.HardBounces, MailboxMetric.SoftBounces];

        private static readonly string[] RateKeys = ["id", "kind", "scopes", "source", "windowDays", "numerator", "denominator", "minimumSample", "strictly", "holdAt", "throttleAt", "pauseAt", "throttleFactor"];
        private static readonly string[] ReasonKeys = ["id", "kind", "scopes", "source", "windowDays", "reasons", "minimumSample", "strictly", "holdAt", "throttleAt", "pauseAt", "throttleFactor"];
        private static readonly string[] AuditKeys = ["id", "kind", "scopes", "source", "checkPattern", "action", "throttleFactor"];
        private static readonly string[] ConnectionKeys = ["id", "kind", "scopes", "source", "status", "action", "throttleFactor"];

        private readonly RuleFileReader file = new(source);

        public InvalidOperationException Error(string key, string message) => file.Error(key, message);

        public HealthRule Rule(JsonElement r, string at)
        {
            if (r.ValueKind != JsonValueKind.Object)
            {
                throw Error(at, "must be an object");
            }

            var id = String(r, at + ".id");
            if (!Regex.IsMatch(id, "^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.None, TimeSpan.FromMilliseconds(100)))
            {
                throw Error(at + ".id", "must be lower-case letters, digits and dashes (at most 63)");
            }

            var kind = Enum<HealthRuleKind>(r, at + ".kind");
            var allowed = kind switch
            {
                HealthRuleKind.Rate or HealthRuleKind.ProviderRate => RateKeys,
                HealthRuleKind.ProviderReasons => ReasonKeys,
                HealthRuleKind.Audit => AuditKeys,
                _ => ConnectionKeys,
            };
            foreach (var property in r.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw Error($"{at}.{property.Name}", $"is not a setting of a {kind} rule");
                }
            }

            var scopes = Array(r, at + ".scopes").Select((s, j) => EnumOf<ScopeKind>(s, $"{at}.scopes[{j}]")).Distinct().ToList();
            if (scopes.Count == 0)
            {
                throw Error(at + ".scopes", "must name at least one of mailbox, domain, pool");
            }

            var rule = new HealthRule
            {
                Id = id,
                Kind = kind,
                Scopes = scopes,
                Source = String(r, at + ".source"),
                ThrottleFactor = r.TryGetProperty("throttleFactor", out _) ? Number(r, at + ".throttleFactor", 0.01, 0.99) : 0.5,
            };
            switch (kind)
            {
                case HealthRuleKind.Rate or HealthRuleKind.ProviderReasons or HealthRuleKind.ProviderRate:
                    rule = rule with
                    {
                        WindowDays = (int)Number(r, at + ".windowDays", 1, 30),
                        MinimumSample = (long)Number(r, at + ".minimumSample", 1, 1_000_000),
                        Strictly = r.TryGetProperty("strictly", out var strictly) && (strictly.ValueKind is JsonValueKind.True or JsonValueKind.False ? strictly.GetBoolean() : throw Error(at + ".strictly", "must be true or false")),
                        HoldAt = Optional(r, at + ".holdAt"),
                        ThrottleAt = Optional(r, at + ".throttleAt"),
                        PauseAt = Optional(r, at + ".pauseAt"),
                    };
                    if (kind is HealthRuleKind.Rate or HealthRuleKind.ProviderRate)
                    {
                        rule = rule with { Numerator = Metrics(r, at + ".numerator"), Denominator = Metrics(r, at + ".denominator") };
                        var unsplit = rule.Numerator.Concat(rule.Denominator).Where(m => !ByProvider.Contains(m)).ToList();
                        if (kind == HealthRuleKind.ProviderRate && unsplit.Count > 0)
                        {
                            throw Error(at, $"a providerRate rule reads counts by provider; {unsplit[0]} is not counted by provider (only {string.Join(", ", ByProvider)})");
                        }
                    }
                    else
                    {
                        rule = rule with { Reasons = Array(r, at + ".reasons").Select((s, j) => s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } reason ? MetricBreakdown.Part(reason) : throw Error($"{at}.reasons[{j}]", "must be a bounce reason")).ToList() };
                        if (rule.Reasons.Count == 0)
                        {
                            throw Error(at + ".reasons", "must name at least one bounce reason");
                        }
                    }

                    var levels = new[] { rule.HoldAt, rule.ThrottleAt, rule.PauseAt }.Where(t => t is not null).Select(t => t!.Value).ToList();
                    if (levels.Count == 0)
                    {
                        throw Error(at, "must set at least one of holdAt, throttleAt, pauseAt");
                    }

                    if (!levels.Zip(levels.Skip(1)).All(p => p.First < p.Second))
                    {
                        throw Error(at, "holdAt, throttleAt and pauseAt must rise in that order");
                    }

                    break;
                case HealthRuleKind.Audit:
                    rule = rule with { CheckPattern = Pattern(r, at + ".checkPattern"), Action = Action(r, at + ".action") };
                    break;
                default:
                    rule = rule with { Status = Enum<ConnectionStatus>(r, at + ".status"), Action = Action(r, at + ".action") };
                    if (rule.Status == ConnectionStatus.Ok)
                    {
                        throw Error(at + ".status", "must be a failing status (Unreachable or CredentialsRefused)");
                    }

                    break;
            }

            if (kind is HealthRuleKind.ProviderReasons or HealthRuleKind.ProviderRate && scopes.Any(s => s != ScopeKind.Pool))
            {
                throw Error(at + ".scopes", $"a {(kind == HealthRuleKind.ProviderRate ? "providerRate" : "providerReasons")} rule throttles a pool towards a provider: its scope is pool");
            }

            if (kind == HealthRuleKind.Connection && scopes.Any(s => s != ScopeKind.Mailbox))
            {
                throw Error(at + ".scopes", "a connection rule judges one mailbox: its scope is mailbox");
            }

            return rule;
        }

        public List<JsonElement> Array(JsonElement parent, string key) => file.Array(parent, key);

        public double Number(JsonElement parent, string key, double min, double max) => file.Number(parent, key, min, max);

        private double? Optional(JsonElement parent, string key) =>
            RuleFileReader.Has(parent, key) ? Number(parent, key, 0.000001, 1) : null;

        private string String(JsonElement parent, string key) =>
            file.String(parent, key, RuleFileReader.Leaf(key) == "source" ? "is required: every rule names where its threshold comes from (an RFC, a provider's page, a reference table)" : null);

        private T Enum<T>(JsonElement parent, string key)
            where T : struct, System.Enum => file.Enum<T>(parent, key);

        private T EnumOf<T>(JsonElement value, string key)
            where T : struct, System.Enum => file.EnumOf<T>(value, key);

        private HealthLevel Action(JsonElement parent, string key)
        {
            var action = String(parent, key);
            return action switch
            {
                "hold" => HealthLevel.RampHeld,
                "throttle" => HealthLevel.Throttled,
                "pause" => HealthLevel.Paused,
                _ => throw Error(key, "must be hold, throttle or pause (only an operator retires)"),
            };
        }

        private List<MailboxMetric> Metrics(JsonElement parent, string key)
        {
            var metrics = Array(parent, key).Select((m, j) => EnumOf<MailboxMetric>(m, $"{key}[{j}]")).ToList();
            return metrics.Count > 0 ? metrics : throw Error(key, "must name at least one metric");
        }

        private Regex Pattern(JsonElement parent, string key) => file.Regex(parent, key);
    }
}
