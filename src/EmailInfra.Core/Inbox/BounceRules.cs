using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmailInfra.Core.Inbox;

/// <summary>
/// Bounce classification as data: diagnostic-text patterns and enhanced-status codes mapped to reasons (Sisimai's
/// categories), which reasons are hard, and the subjects and senders that mark non-standard bounces and auto-replies.
/// </summary>
public sealed class BounceRules
{
    private static readonly Lazy<BounceRules> Embedded = new(() =>
    {
        using var stream = typeof(BounceRules).Assembly.GetManifestResourceStream("EmailInfra.Core.bounce-rules.json")
            ?? throw new InvalidOperationException("The embedded bounce-rules.json is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded bounce-rules.json");
    });

    private BounceRules(
        int version,
        IReadOnlyList<(string Reason, Regex[] Patterns)> textRules,
        IReadOnlyList<(string Status, string Reason)> statusReasons,
        IReadOnlySet<string> hardReasons,
        IReadOnlySet<string> hardWhenPermanent,
        Regex[] autoReplySubjects,
        Regex[] bounceSubjects,
        Regex[] bounceSenders)
    {
        Version = version;
        TextRules = textRules;
        patterns = textRules.SelectMany(r => r.Patterns).ToArray();
        ruleSpans = new (string, int, int)[textRules.Count];
        for (int i = 0, first = 0; i < textRules.Count; first += textRules[i].Patterns.Length, i++)
        {
            ruleSpans[i] = (textRules[i].Reason, first, textRules[i].Patterns.Length);
        }

        foreach (var pattern in patterns)
        {
            Warm(pattern);
        }

        // Each pattern's necessary words: a text holding none of them cannot match the pattern, so it is not run; one
        // vectorised scan of the text finds the words present. A pattern that promises no word (or only one too common
        // to filter anything) always runs.
        var patternWords = patterns.Select(p => NecessaryWords.Of(p.ToString()) is { } words && words.All(Filters) ? words : null).ToList();
        alwaysRun = patternWords.Select(w => w is null).ToArray();
        var byWord = patternWords.SelectMany((w, i) => (w ?? (IEnumerable<string>)[]).Select(word => (word, i))).GroupBy(x => x.word, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Word: g.Key, Patterns: g.Select(x => x.i).Distinct().ToArray())).ToList();
        anyWord = SearchValues.Create(byWord.Select(w => w.Word).ToArray(), StringComparison.OrdinalIgnoreCase);
        wordTrie = WordTrie.Of(byWord);
        StatusReasons = statusReasons;
        HardReasons = hardReasons;
        HardWhenPermanent = hardWhenPermanent;
        AutoReplySubjects = autoReplySubjects;
        BounceSubjects = bounceSubjects;
        BounceSenders = bounceSenders;
    }

    // A single letter or digit occurs in nearly every text; a single symbol (the '|' of a pipe to a program) rarely does.
    private static bool Filters(string word)
    {
        var core = word.Trim();
        return core.Length >= 2 || (core.Length == 1 && !char.IsLetterOrDigit(core[0]));
    }

    // Guards against a pattern that backtracks without end; generous, because a busy machine must not turn a slow
    // match into a failed classification.
    private static readonly TimeSpan RuleTimeout = TimeSpan.FromSeconds(1);

    public static BounceRules Default => Embedded.Value;

    /// <summary>The rules in the file at <paramref name="path"/> (validated, its errors naming the file and key); the built-in rules when no path is given.</summary>
    public static BounceRules Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return Default;
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{path}: cannot be read: {ex.Message}", ex);
        }

        return Parse(json, path);
    }

    public int Version { get; }

    public IReadOnlyList<(string Reason, Regex[] Patterns)> TextRules { get; }

    // Every rule's patterns in file order, and each rule's place among them: a rule matches when one of its patterns
    // does, and only the patterns whose words occur in a text are run (one small regex with a literal to look for is
    // faster than the alternation of all the rule's patterns, which tries each of them at every position).
    private readonly Regex[] patterns;
    private readonly (string Reason, int First, int Count)[] ruleSpans;

    private readonly bool[] alwaysRun;

    /// <summary>The patterns whose necessary words could not be read: each runs on every text the rules judge.</summary>
    internal IEnumerable<string> PatternsRunOnEveryText => patterns.Where((_, i) => alwaysRun[i]).Select(p => p.ToString());
    private readonly SearchValues<string> anyWord;
    private readonly WordTrie wordTrie;

    // Characters that a case-insensitive regex equates with an ASCII letter (Kelvin sign and k, long s and s, Turkish
    // dotted and dotless i) while an ordinal comparison does not: a text holding one runs every pattern.
    private static readonly SearchValues<char> CaseFoldingOutliers = SearchValues.Create("\u212A\u017F\u0130\u0131");

    /// <summary>Marks the patterns that may match <paramref name="text"/>: those whose necessary words occur in it, and those that promise none.</summary>
    private void MarkCandidates(string text, Span<bool> candidates)
    {
        if (text.AsSpan().IndexOfAny(CaseFoldingOutliers) >= 0)
        {
            candidates.Fill(true);
            return;
        }

        alwaysRun.CopyTo(candidates);
        var rest = text.AsSpan();
        for (var at = rest.IndexOfAny(anyWord); at >= 0; at = rest.IndexOfAny(anyWord))
        {
            rest = rest[at..];
            wordTrie.Mark(rest, candidates);
            rest = rest[1..];
        }
    }

    public IReadOnlyList<(string Status, string Reason)> StatusReasons { get; }

    public IReadOnlySet<string> HardReasons { get; }

    /// <summary>Reasons that change with the SMTP command the refusal answered (an unknown user refused after DATA is "filtered").</summary>
    public IReadOnlyList<(IReadOnlySet<string> From, string To, string Command, Regex? UnlessStatus, Regex? WhenStatus)> StageRules { get; private init; } = [];

    /// <summary>
    /// Replies that a provider or product is known to give at one stage only (Gmail's "the address couldn't be found" answers
    /// RCPT TO): the stage when the bounce does not say it. A hint may be limited to hosts (the recipient's domain or the
    /// remote MTA).
    /// </summary>
    public IReadOnlyList<(Regex Pattern, Regex? Host, string Command)> StageHints { get; private init; } = [];

    /// <summary>The stage a known reply implies for a recipient at <paramref name="domain"/> (via <paramref name="remoteMta"/>), if a hint knows it.</summary>
    public string? StageHintFor(string? diagnostic, string? domain, string? remoteMta)
    {
        if (string.IsNullOrEmpty(diagnostic))
        {
            return null;
        }

        foreach (var (pattern, host, command) in StageHints)
        {
            if ((host is null || (domain is not null && host.IsMatch(domain)) || (remoteMta is not null && host.IsMatch(remoteMta))) && pattern.IsMatch(diagnostic))
            {
                return command;
            }
        }

        return null;
    }

    /// <summary>
    /// What large providers' own replies mean, from their published error-code pages: a recipient whose mail went to (or
    /// was reported on by) one of a provider's hosts has its reason decided by the provider's table first. The same words
    /// mean different things at different providers (MessageLabs' "No such user" is an unknown user, a filtering
    /// gateway's is a filter), and some providers number their refusals (Spectrum's AUP#, Orange's OFR_).
    /// </summary>
    public IReadOnlyList<ProviderRules> Providers
    {
        get => providers;
        private init
        {
            providers = value;
            var byHost = new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < value.Count; i++)
            {
                foreach (var host in value[i].Hosts)
                {
                    byHost[host] = byHost.TryGetValue(host, out var before) ? [.. before, i] : [i];
                }
            }

            providersByHost = byHost.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    private readonly IReadOnlyList<ProviderRules> providers = [];

    // The providers by each host they list: a name is looked up, then each name it is under, so finding a recipient's
    // provider costs a lookup per label instead of a comparison per provider host (every recipient asks, most in vain).
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> providersByHost =
        new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The providers serving <paramref name="name"/> (it, or a name it is under, is one of their hosts), in file order; null when none does.</summary>
    private int[]? ProvidersServing(ReadOnlySpan<char> name)
    {
        int[]? found = null;
        for (var rest = name; ;)
        {
            if (providersByHost.TryGetValue(rest, out var serving))
            {
                found = found is null ? serving : [.. found.Union(serving).Order()];
            }

            var dot = rest.IndexOf('.');
            if (dot < 0)
            {
                return found;
            }

            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>
    /// The reason a provider's table gives for a failure reported with <paramref name="diagnostic"/> at the SMTP stage
    /// <paramref name="command"/>, when one of <paramref name="hosts"/> (recipient domain, remote or reporting MTA,
    /// hosts the diagnostic names) is the provider's; null when no provider or none of its rules applies.
    /// </summary>
    public string? ProviderReason(string? diagnostic, string? status, string? command, IEnumerable<string?> hosts)
    {
        if (string.IsNullOrEmpty(diagnostic) || Providers.Count == 0)
        {
            return null;
        }

        // hosts in the order given (the recipient's domain first), each provider's rules in file order; the hosts are
        // enumerated lazily, so a diagnostic is searched for host names only when the earlier hosts decided nothing
        foreach (var host in hosts)
        {
            if (string.IsNullOrWhiteSpace(host))
            {
                continue;
            }

            var name = host.AsSpan().Trim().TrimEnd('.');
            foreach (var index in ProvidersServing(name) ?? [])
            {
                foreach (var rule in providers[index].Rules)
                {
                    if ((rule.Command is null || rule.Command == command) && (rule.Status is null || (status is not null && rule.Status.IsMatch(status))) && rule.Matches(diagnostic))
                    {
                        return rule.Reason;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Reasons decided by a header of the bounce itself (a provider's own format), when the text decides nothing better.</summary>
    public IReadOnlyList<(string Header, Regex Pattern, string Reason)> HeaderRules { get; private init; } = [];

    /// <summary>Subjects of complaint reports that are not ARF (a forwarded message from a provider's abuse desk).</summary>
    public Regex[] ComplaintSubjects { get; private init; } = [];

    /// <summary>For a reason a specific status names: the reasons whose words overrule the status (userunknown's 5.1.1 yields to "over quota").</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> StatusYields { get; private init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>Status codes too broad to decide a reason alone: the diagnostic text decides first.</summary>
    public IReadOnlySet<string> AmbiguousStatuses { get; private init; } = new HashSet<string>();

    public IReadOnlySet<string> HardWhenPermanent { get; }

    public Regex[] AutoReplySubjects { get; }

    public Regex[] BounceSubjects { get; }

    public Regex[] BounceSenders { get; }

    /// <summary>The reason for one failed recipient: the diagnostic text decides first, then the enhanced status code.</summary>
    public string ReasonFor(string? status, string? diagnostic)
    {
        if (status is { Length: > 0 } && status[0] == '2')
        {
            return "delivered";
        }

        // A specific enhanced status code says more than the words around it; a broad one (5.0.0, 5.7.1, …) does not.
        // Some codes are used loosely (5.1.1 for a full mailbox or a rate limit): words naming one of the causes the code
        // yields to decide instead.
        if (status is { Length: > 0 } && !AmbiguousStatuses.Contains(status) && StatusReasons.FirstOrDefault(s => s.Status == status).Reason is { } specific)
        {
            return !string.IsNullOrWhiteSpace(diagnostic) && StatusYields.TryGetValue(specific, out var yields)
                ? FirstMatchingRule(diagnostic, useWords: true, among: yields) ?? specific
                : specific;
        }

        if (!string.IsNullOrWhiteSpace(diagnostic) && FirstMatchingRule(diagnostic, useWords: true) is { } byWords)
        {
            return byWords;
        }

        if (status is { Length: > 0 })
        {
            // exact code first, then the longest prefix (entries ending in '.')
            var exact = StatusReasons.FirstOrDefault(s => s.Status == status);
            if (exact.Reason is not null)
            {
                return exact.Reason;
            }

            var prefix = StatusReasons.Where(s => s.Status.EndsWith('.') && status.StartsWith(s.Status, StringComparison.Ordinal))
                .OrderByDescending(s => s.Status.Length).FirstOrDefault();
            if (prefix.Reason is not null)
            {
                return prefix.Reason;
            }
        }

        return "undefined";
    }

    /// <summary>
    /// The first rule, in file order, whose patterns match the text ("delivered" aside), among the given reasons if any;
    /// with useWords, only the patterns whose necessary words occur are tried.
    /// </summary>
    internal string? FirstMatchingRule(string text, bool useWords, IReadOnlySet<string>? among = null)
    {
        Span<bool> candidates = stackalloc bool[patterns.Length];
        if (useWords)
        {
            MarkCandidates(text, candidates);
        }
        else
        {
            candidates.Fill(true);
        }

        foreach (var (reason, first, count) in ruleSpans)
        {
            if (reason == "delivered" || (among is not null && !among.Contains(reason)))
            {
                continue;
            }

            for (var j = first; j < first + count; j++)
            {
                if (candidates[j] && patterns[j].IsMatch(text))
                {
                    return reason;
                }
            }
        }

        return null;
    }

    /// <summary>Reasons that change with the kind of program that reported the failure (RFC 3464 diagnostic type, "x-unix": a local delivery program).</summary>
    public IReadOnlyList<(string Type, IReadOnlySet<string> From, string To)> TypeRules { get; private init; } = [];

    /// <summary>The reason a failure of <paramref name="reason"/> reported with diagnostic type <paramref name="type"/> has, when a type rule changes it.</summary>
    public string? ReasonForType(string reason, string type) =>
        TypeRules.FirstOrDefault(r => r.Type == type && r.From.Contains(reason)).To;

    /// <summary>Whether some stage rule would change this reason (so the stage is worth finding).</summary>
    public bool StageSensitive(string reason) => StageRules.Any(r => r.From.Contains(reason));

    /// <summary>
    /// Applies the stage rules to a reason decided from text or status, given the SMTP command refused (CONN, HELO,
    /// MAIL, RCPT, DATA; NONE when the bounce does not say) and the status (a rule may stand aside for some codes, or
    /// hold for some codes only).
    /// </summary>
    public string AdjustForStage(string reason, string? command, string? status = null) =>
        StageRules.FirstOrDefault(r => r.Command == (command ?? "NONE") && r.From.Contains(reason) && !(status is not null && r.UnlessStatus?.IsMatch(status) == true)
            && (r.WhenStatus is null || (status is not null && r.WhenStatus.IsMatch(status)))).To ?? reason;

    public bool IsHard(string reason, string? status) =>
        HardReasons.Contains(reason) || (HardWhenPermanent.Contains(reason) && status is { Length: > 0 } && status[0] == '5');

    /// <summary>The stages a refusal can come at: connection, greeting, MAIL FROM, RCPT TO, DATA.</summary>
    public static readonly IReadOnlyList<string> SmtpCommands = ["CONN", "HELO", "MAIL", "RCPT", "DATA"];

    public static BounceRules Parse(string json, string source)
    {
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            var version = Field(root, "version").GetInt32();
            if (version != 3)
            {
                throw new InvalidOperationException($"{source}: 'version' must be 3");
            }

            return new BounceRules(
                version,
                Field(root, "textRules").EnumerateArray().Select((r, i) => (
                    Field(r, "reason", $"textRules[{i}]").GetString()!,
                    Field(r, "patterns", $"textRules[{i}]").EnumerateArray().Select((p, j) => Compile(p.GetString(), $"{source}: textRules[{i}].patterns[{j}]")).ToArray())).ToList(),
                Field(root, "statusReasons").EnumerateArray().Select((s, i) => (Field(s, "status", $"statusReasons[{i}]").GetString()!, Field(s, "reason", $"statusReasons[{i}]").GetString()!)).ToList(),
                Field(root, "hardReasons").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
                Field(root, "hardWhenPermanent").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
                Field(root, "autoReplySubjects").EnumerateArray().Select((p, i) => Compile(p.GetString(), $"{source}: autoReplySubjects[{i}]")).ToArray(),
                Field(root, "bounceSubjects").EnumerateArray().Select((p, i) => Compile(p.GetString(), $"{source}: bounceSubjects[{i}]")).ToArray(),
                Field(root, "bounceSenders").EnumerateArray().Select((p, i) => Compile(p.GetString(), $"{source}: bounceSenders[{i}]")).ToArray())
            {
                StatusYields = Field(root, "statusYields").EnumerateObject().ToDictionary(
                    p => p.Name, p => (IReadOnlySet<string>)p.Value.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
                AmbiguousStatuses = Field(root, "ambiguousStatuses").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
                HeaderRules = Field(root, "headerRules").EnumerateArray().Select((r, i) => (
                    Field(r, "header", $"headerRules[{i}]").GetString()!, Compile(Field(r, "pattern", $"headerRules[{i}]").GetString(), $"{source}: headerRules[{i}].pattern"), Field(r, "reason", $"headerRules[{i}]").GetString()!)).ToList(),
                ComplaintSubjects = Field(root, "complaintSubjects").EnumerateArray().Select((p, i) => Compile(p.GetString(), $"{source}: complaintSubjects[{i}]")).ToArray(),
                StageRules = Field(root, "stageRules").EnumerateArray().Select((r, i) => (
                    (IReadOnlySet<string>)Field(r, "from", $"stageRules[{i}]").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
                    Field(r, "to", $"stageRules[{i}]").GetString()!,
                    Field(r, "command", $"stageRules[{i}]").GetString() is { } command && (SmtpCommands.Contains(command) || command == "NONE") ? command
                        : throw new InvalidOperationException($"{source}: stageRules[{i}].command must be one of {string.Join(", ", SmtpCommands)} or NONE"),
                    r.TryGetProperty("unlessStatus", out var unless) ? Compile(unless.GetString(), $"{source}: stageRules[{i}].unlessStatus") : null,
                    r.TryGetProperty("whenStatus", out var when) ? Compile(when.GetString(), $"{source}: stageRules[{i}].whenStatus") : null)).ToList(),
                TypeRules = Field(root, "typeRules").EnumerateArray().Select((r, i) => (
                    Field(r, "type", $"typeRules[{i}]").GetString()!.ToLowerInvariant(),
                    (IReadOnlySet<string>)Field(r, "from", $"typeRules[{i}]").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
                    Field(r, "to", $"typeRules[{i}]").GetString()!)).ToList(),
                Providers = Field(root, "providers").EnumerateArray().Select((p, i) => ProviderRules.Parse(p, $"{source}: providers[{i}]")).ToList(),
                StageHints = Field(root, "stageHints").EnumerateArray().Select((r, i) => (
                    Compile(Field(r, "pattern", $"stageHints[{i}]").GetString(), $"{source}: stageHints[{i}].pattern"),
                    r.TryGetProperty("host", out var host) ? Compile(host.GetString(), $"{source}: stageHints[{i}].host") : null,
                    Field(r, "command", $"stageHints[{i}]").GetString() is { } command && SmtpCommands.Contains(command) ? command
                        : throw new InvalidOperationException($"{source}: stageHints[{i}].command must be one of {string.Join(", ", SmtpCommands)}"))).ToList(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException || (ex is InvalidOperationException && !ex.Message.StartsWith(source, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>A required member of a rules-file object; its absence named (with the path to it when given).</summary>
    internal static JsonElement Field(JsonElement element, string name, string? at = null) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value
            : throw new InvalidOperationException(at is null ? $"'{name}' is missing" : $"{at}.{name} is missing");

    /// <summary>
    /// Runs a compiled regex once. A compiled regex is JIT-compiled on its first match, inside the match's timeout: done
    /// at load, so a busy machine's JIT never counts against a real message (a warm-up that times out has still compiled).
    /// </summary>
    internal static Regex Warm(Regex regex)
    {
        try
        {
            regex.IsMatch("warm-up");
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return regex;
    }

    /// <summary>
    /// One pattern, validated (its key named when it is not a regular expression) and compiled to IL, unless it is a
    /// plain phrase: the interpreter finds a literal with the same vectorised search, and the rules hold hundreds of
    /// phrases whose compilation would only lengthen every start.
    /// </summary>
    internal static Regex Compile(string? pattern, string key)
    {
        try
        {
            var text = pattern ?? throw new InvalidOperationException($"{key} must be a string");
            return new Regex(text, RegexOptions.CultureInvariant | (IsPhrase(text) ? RegexOptions.None : RegexOptions.Compiled), RuleTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{key} is not a valid regular expression: {ex.Message}", ex);
        }
    }

    /// <summary>Whether a pattern is a literal phrase (case aside): no construct but characters and escaped punctuation.</summary>
    internal static bool IsPhrase(string pattern)
    {
        var text = pattern.StartsWith("(?i)", StringComparison.Ordinal) ? pattern.AsSpan(4) : pattern.AsSpan();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                if (++i >= text.Length || char.IsLetterOrDigit(text[i]))
                {
                    return false;
                }
            }
            else if ("[](){}|*+?.^$#".Contains(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// One provider's table: the hosts that are its own (a name or any name under it), what its replies mean, and the
/// page that says so.
/// </summary>
public sealed record ProviderRules(string Name, string Source, IReadOnlyList<string> Hosts, IReadOnlyList<ProviderRule> Rules)
{
    internal static ProviderRules Parse(JsonElement p, string key)
    {
        var name = BounceRules.Field(p, "name", key).GetString() is { Length: > 0 } n ? n : throw new InvalidOperationException($"{key}.name must be a non-empty string");
        var source = BounceRules.Field(p, "source", key).GetString() is { Length: > 0 } s ? s : throw new InvalidOperationException($"{key}.source must say where the provider's codes come from");
        var hosts = BounceRules.Field(p, "hosts", key).EnumerateArray().Select(h => h.GetString()?.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
        if (hosts.Count == 0 || hosts.Any(h => string.IsNullOrEmpty(h) || h.Contains('*') || h.StartsWith('.')))
        {
            throw new InvalidOperationException($"{key}.hosts must list host names (a name covers every name under it)");
        }

        var rules = BounceRules.Field(p, "rules", key).EnumerateArray().Select((r, j) => new ProviderRule(
            BounceRules.Field(r, "reason", $"{key}.rules[{j}]").GetString() is { Length: > 0 } reason ? reason : throw new InvalidOperationException($"{key}.rules[{j}].reason must be a non-empty string"),
            BounceRules.Field(r, "patterns", $"{key}.rules[{j}]").EnumerateArray().Select((x, k) => BounceRules.Warm(BounceRules.Compile(x.GetString(), $"{key}.rules[{j}].patterns[{k}]"))).ToArray() is { Length: > 0 } patterns ? patterns
                : throw new InvalidOperationException($"{key}.rules[{j}].patterns must list at least one pattern"),
            r.TryGetProperty("status", out var status) ? BounceRules.Warm(BounceRules.Compile(status.GetString(), $"{key}.rules[{j}].status")) : null,
            r.TryGetProperty("command", out var command) ? command.GetString() is { } c && BounceRules.SmtpCommands.Contains(c) ? c
                : throw new InvalidOperationException($"{key}.rules[{j}].command must be one of {string.Join(", ", BounceRules.SmtpCommands)}") : null)).ToList();
        return new ProviderRules(name, source, hosts!, rules);
    }
}

/// <summary>One line of a provider's table: replies matching one of the patterns (at that stage, with that status, when given) have that reason.</summary>
public sealed record ProviderRule(string Reason, Regex[] Patterns, Regex? Status, string? Command)
{
    /// <summary>Whether one of the patterns matches <paramref name="reply"/>.</summary>
    public bool Matches(string reply)
    {
        foreach (var pattern in Patterns)
        {
            if (pattern.IsMatch(reply))
            {
                return true;
            }
        }

        return false;
    }
}
