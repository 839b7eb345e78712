using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>The results of check_host() (RFC 7208 2.6).</summary>
public enum SpfVerdict
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

/// <summary>What check_host() found: the verdict, the explanation of a fail, the record and term that decided, and the DNS cost.</summary>
public sealed record SpfResult(SpfVerdict Verdict, string? Explanation, string? Record, string? Mechanism, int DnsLookups, int VoidLookups, string? Problem);

/// <summary>
/// RFC 7208 check_host(): every mechanism and modifier, macros, include and redirect, the 10-lookup and 2-void-lookup
/// limits, permerror and temperror. Pure over <see cref="IDnsRecords"/>, so it runs against real DNS or a zone in memory.
/// </summary>
public sealed partial class SpfEvaluator(IDnsRecords dns)
{
    private const int LookupLimit = 10;
    private const int VoidLimit = 2;

    /// <summary>Evaluates the SPF policy of the MAIL FROM domain (or of the HELO name when MAIL FROM is empty) for a client address.</summary>
    public async Task<SpfResult> CheckHostAsync(IPAddress ip, string mailFrom, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ip);
        mailFrom ??= string.Empty;
        helo ??= string.Empty;
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var sender = mailFrom.Length == 0 ? "postmaster@" + helo : mailFrom;
        var at = sender.LastIndexOf('@');
        var local = at <= 0 ? "postmaster" : sender[..at];
        var domain = at < 0 ? sender : sender[(at + 1)..];
        if (at == 0)
        {
            sender = "postmaster" + sender;
        }

        var run = new Run(dns, ip, sender, local, domain, helo, cancellationToken);
        if (!IsValidDomain(domain))
        {
            return new SpfResult(SpfVerdict.None, null, null, null, 0, 0, $"'{domain}' is not a domain name");
        }

        var outcome = await run.CheckHostAsync(domain, 0).ConfigureAwait(false);
        return new SpfResult(outcome.Verdict, outcome.Explanation, outcome.Record, outcome.Mechanism, run.Lookups, run.Voids, outcome.Problem);
    }

    /// <summary>Parses a record for its syntax alone (what an audit reports before evaluating it); null when valid.</summary>
    public static string? SyntaxProblem(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Parse(record, out _) is { } problem ? problem : null;
    }

    /// <summary>Whether a name is a syntactically valid multi-label domain name.</summary>
    public static bool IsDomainName(string domain) => IsValidDomain(domain ?? string.Empty);

    internal static bool IsValidDomain(string domain)
    {
        if (domain.Length == 0 || domain.Length > 255 || domain.StartsWith('[') || !domain.TrimEnd('.').Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        var labels = domain.TrimEnd('.').Split('.');
        return labels.All(l => l.Length is > 0 and <= 63);
    }

    private sealed record Outcome(SpfVerdict Verdict, string? Explanation = null, string? Record = null, string? Mechanism = null, string? Problem = null);

    private sealed record Term(char Qualifier, string Name, string? DomainSpec, int? Cidr4, int? Cidr6, IPAddress? Network, string Text);

    private sealed record Parsed(List<Term> Directives, string? Redirect, string? Exp);

    private static string? Parse(string record, out Parsed parsed)
    {
        parsed = new Parsed([], null, null);
        if (record.Any(c => c > 126 || c < 32))
        {
            return "the record holds characters outside printable ASCII";
        }

        string? redirect = null, exp = null;
        foreach (var text in record[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var modifier = ModifierPattern().Match(text);
            if (modifier.Success)
            {
                var name = modifier.Groups[1].Value.ToLowerInvariant();
                var value = modifier.Groups[2].Value;
                if (name is "redirect" or "exp")
                {
                    if ((name == "redirect" ? redirect : exp) is not null)
                    {
                        return $"'{name}' appears twice";
                    }

                    if (!IsDomainSpec(value))
                    {
                        return $"'{text}' has an invalid domain";
                    }

                    if (name == "redirect")
                    {
                        redirect = value;
                    }
                    else
                    {
                        exp = value;
                    }
                }
                else if (!IsMacroString(value, explain: false))
                {
                    return $"'{text}' has an invalid macro";
                }

                continue;
            }

            var directive = DirectivePattern().Match(text);
            if (!directive.Success)
            {
                return $"'{text}' is not a mechanism";
            }

            var qualifier = directive.Groups[1].Value is { Length: 1 } q ? q[0] : '+';
            var mechanism = directive.Groups[2].Value.ToLowerInvariant();
            var rest = directive.Groups[3].Value;
            Term? term = mechanism switch
            {
                "all" when rest.Length == 0 => new Term(qualifier, mechanism, null, null, null, null, text),
                "include" or "exists" when rest.StartsWith(':') && IsDomainSpec(rest[1..]) => new Term(qualifier, mechanism, rest[1..], null, null, null, text),
                "a" or "mx" => AddressTerm(qualifier, mechanism, rest, text),
                "ptr" when rest.Length == 0 => new Term(qualifier, mechanism, null, null, null, null, text),
                "ptr" when rest.StartsWith(':') && IsDomainSpec(rest[1..]) => new Term(qualifier, mechanism, rest[1..], null, null, null, text),
                "ip4" => Ip4Term(qualifier, rest, text),
                "ip6" => Ip6Term(qualifier, rest, text),
                _ => null,
            };
            if (term is null)
            {
                return $"'{text}' is not a valid mechanism";
            }

            parsed.Directives.Add(term);
        }

        parsed = parsed with { Redirect = redirect, Exp = exp };
        return null;
    }

    private static Term? AddressTerm(char qualifier, string name, string rest, string text)
    {
        var m = DualCidrPattern().Match(rest);
        if (!m.Success)
        {
            return null;
        }

        var domain = m.Groups["d"].Success ? m.Groups["d"].Value : null;
        if (domain is not null && !IsDomainSpec(domain))
        {
            return null;
        }

        int? c4 = m.Groups["c4"].Success ? int.Parse(m.Groups["c4"].Value, CultureInfo.InvariantCulture) : null;
        int? c6 = m.Groups["c6"].Success ? int.Parse(m.Groups["c6"].Value, CultureInfo.InvariantCulture) : null;
        return c4 > 32 || c6 > 128 ? null : new Term(qualifier, name, domain, c4, c6, null, text);
    }

    private static Term? Ip4Term(char qualifier, string rest, string text)
    {
        var m = Ip4Pattern().Match(rest);
        if (!m.Success || !IPAddress.TryParse(m.Groups["ip"].Value, out var ip))
        {
            return null;
        }

        int? cidr = m.Groups["c"].Success ? int.Parse(m.Groups["c"].Value, CultureInfo.InvariantCulture) : null;
        return cidr > 32 ? null : new Term(qualifier, "ip4", null, cidr ?? 32, null, ip, text);
    }

    private static Term? Ip6Term(char qualifier, string rest, string text)
    {
        var m = Ip6Pattern().Match(rest);
        if (!m.Success || !IPAddress.TryParse(m.Groups["ip"].Value, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        int? cidr = m.Groups["c"].Success ? int.Parse(m.Groups["c"].Value, CultureInfo.InvariantCulture) : null;
        return cidr > 128 ? null : new Term(qualifier, "ip6", null, null, cidr ?? 128, ip, text);
    }

    /// <summary>domain-spec = macro-string domain-end: ends in a macro or in a top label that is not all digits.</summary>
    private static bool IsDomainSpec(string spec)
    {
        if (spec.Length == 0 || !IsMacroString(spec, explain: false))
        {
            return false;
        }

        if (spec.EndsWith('}'))
        {
            return true;
        }

        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        return dot > 0 && TopLabelPattern().IsMatch(trimmed[(dot + 1)..]);
    }

    private static bool IsMacroString(string value, bool explain)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                continue;
            }

            if (i + 1 >= value.Length)
            {
                return false;
            }

            var next = value[i + 1];
            if (next is '%' or '_' or '-')
            {
                i++;
                continue;
            }

            if (next != '{')
            {
                return false;
            }

            var close = value.IndexOf('}', i);
            if (close < 0 || !MacroPattern().IsMatch(value[(i + 2)..close]))
            {
                return false;
            }

            var letter = char.ToLowerInvariant(value[i + 2]);
            if (!explain && letter is 'c' or 'r' or 't')
            {
                return false;
            }

            i = close;
        }

        return true;
    }

    private sealed class Run(IDnsRecords dns, IPAddress ip, string sender, string local, string senderDomain, string helo, CancellationToken cancellationToken)
    {
        private string? validatedName;

        public int Lookups { get; private set; }

        public int Voids { get; private set; }

        public async Task<Outcome> CheckHostAsync(string domain, int depth)
        {
            if (!IsValidDomain(domain))
            {
                return new Outcome(SpfVerdict.None, Problem: $"'{domain}' is not a domain name");
            }

            IReadOnlyList<string> txt;
            try
            {
                txt = await dns.TxtAsync(domain, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsTimeoutException ex)
            {
                return new Outcome(SpfVerdict.TempError, Problem: $"TXT lookup of {domain} failed: {ex.Message}");
            }

            var records = txt.Where(IsSpfRecord).ToList();
            if (records.Count == 0)
            {
                return new Outcome(SpfVerdict.None, Problem: $"{domain} publishes no SPF record");
            }

            if (records.Count > 1)
            {
                return new Outcome(SpfVerdict.PermError, Record: string.Join(" | ", records), Problem: $"{domain} publishes {records.Count} SPF records");
            }

            var record = records[0];
            if (Parse(record, out var parsed) is { } syntax)
            {
                return new Outcome(SpfVerdict.PermError, Record: record, Problem: syntax);
            }

            try
            {
                foreach (var term in parsed.Directives)
                {
                    var (match, error) = await MatchesAsync(term, domain, depth).ConfigureAwait(false);
                    if (error is not null)
                    {
                        return error with { Record = error.Record ?? record };
                    }

                    if (match)
                    {
                        var verdict = term.Qualifier switch { '-' => SpfVerdict.Fail, '~' => SpfVerdict.SoftFail, '?' => SpfVerdict.Neutral, _ => SpfVerdict.Pass };
                        var explanation = verdict == SpfVerdict.Fail && parsed.Exp is not null ? await ExplainAsync(parsed.Exp, domain).ConfigureAwait(false) : null;
                        return new Outcome(verdict, explanation, record, term.Text);
                    }
                }

                if (parsed.Redirect is not null)
                {
                    CountLookup();
                    var target = await ExpandAsync(parsed.Redirect, domain).ConfigureAwait(false);
                    var result = await CheckHostAsync(target, depth + 1).ConfigureAwait(false);
                    return result.Verdict == SpfVerdict.None
                        ? new Outcome(SpfVerdict.PermError, Record: record, Mechanism: "redirect=" + parsed.Redirect, Problem: $"redirect to {target}, which has no SPF record")
                        : result;
                }

                return new Outcome(SpfVerdict.Neutral, Record: record, Mechanism: null);
            }
            catch (SpfLimitException ex)
            {
                return new Outcome(SpfVerdict.PermError, Record: record, Problem: ex.Message);
            }
            catch (DnsTimeoutException ex)
            {
                return new Outcome(SpfVerdict.TempError, Record: record, Problem: "DNS lookup failed: " + ex.Message);
            }
        }

        /// <summary>Whether the term matches; an outcome instead when the term ends the evaluation with an error.</summary>
        private async Task<(bool Match, Outcome? Error)> MatchesAsync(Term term, string domain, int depth)
        {
            switch (term.Name)
            {
                case "all":
                    return (true, null);
                case "ip4":
                case "ip6":
                    return (InNetwork(ip, term.Network!, term.Name == "ip4" ? term.Cidr4!.Value : term.Cidr6!.Value), null);
                case "include":
                    {
                        CountLookup();
                        var target = await ExpandAsync(term.DomainSpec!, domain).ConfigureAwait(false);
                        var result = await CheckHostAsync(target, depth + 1).ConfigureAwait(false);
                        return result.Verdict switch
                        {
                            SpfVerdict.Pass => (true, null),
                            SpfVerdict.Fail or SpfVerdict.SoftFail or SpfVerdict.Neutral => (false, null),
                            SpfVerdict.TempError => (false, result),
                            _ => (false, new Outcome(SpfVerdict.PermError, Record: result.Record, Mechanism: term.Text, Problem: result.Problem ?? $"include:{target} has no SPF record")),
                        };
                    }

                case "a":
                    {
                        CountLookup();
                        var target = term.DomainSpec is null ? domain : await ExpandAsync(term.DomainSpec, domain).ConfigureAwait(false);
                        var addresses = await AddressesAsync(target).ConfigureAwait(false);
                        return (addresses.Any(a => InNetwork(ip, a, Cidr(term))), null);
                    }

                case "mx":
                    {
                        CountLookup();
                        var target = term.DomainSpec is null ? domain : await ExpandAsync(term.DomainSpec, domain).ConfigureAwait(false);
                        var hosts = await dns.MxAsync(target, cancellationToken).ConfigureAwait(false);
                        if (hosts.Count == 0)
                        {
                            CountVoid();
                            return (false, null);
                        }

                        if (hosts.Count > LookupLimit)
                        {
                            throw new SpfLimitException($"mx:{target} has {hosts.Count} MX records; at most {LookupLimit} may be looked up");
                        }

                        foreach (var (_, host) in hosts)
                        {
                            var addresses = await dns.AddressesAsync(host, ip.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
                            if (addresses.Any(a => InNetwork(ip, a, Cidr(term))))
                            {
                                return (true, null);
                            }
                        }

                        return (false, null);
                    }

                case "ptr":
                    {
                        CountLookup();
                        var target = term.DomainSpec is null ? domain : await ExpandAsync(term.DomainSpec, domain).ConfigureAwait(false);
                        return ((await ValidatedNamesAsync(countVoid: true).ConfigureAwait(false)).Any(n => SameOrSubdomain(n, target)), null);
                    }

                case "exists":
                    {
                        CountLookup();
                        var target = await ExpandAsync(term.DomainSpec!, domain).ConfigureAwait(false);
                        var addresses = await dns.AddressesAsync(target, ipv6: false, cancellationToken).ConfigureAwait(false);
                        if (addresses.Count == 0)
                        {
                            CountVoid();
                        }

                        return (addresses.Count > 0, null);
                    }

                default:
                    throw new InvalidOperationException("unparsed mechanism " + term.Name);
            }
        }

        private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name)
        {
            var addresses = await dns.AddressesAsync(name, ip.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
            if (addresses.Count == 0)
            {
                CountVoid();
            }

            return addresses;
        }

        /// <summary>PTR names of the client whose own addresses include it (at most ten looked up); DNS errors skip a name.</summary>
        private async Task<List<string>> ValidatedNamesAsync(bool countVoid)
        {
            IReadOnlyList<string> names;
            try
            {
                names = await dns.PtrAsync(ip, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsTimeoutException)
            {
                return [];
            }

            if (names.Count == 0 && countVoid)
            {
                CountVoid();
            }

            var validated = new List<string>();
            foreach (var name in names.Take(LookupLimit))
            {
                try
                {
                    var addresses = await dns.AddressesAsync(name, ip.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
                    if (addresses.Any(a => a.Equals(ip)))
                    {
                        validated.Add(name.TrimEnd('.'));
                    }
                }
                catch (DnsTimeoutException)
                {
                    // a name whose lookup fails is skipped (RFC 7208 5.5)
                }
            }

            return validated;
        }

        private async Task<string?> ExplainAsync(string exp, string domain)
        {
            try
            {
                var target = await ExpandAsync(exp, domain).ConfigureAwait(false);
                if (!IsValidDomain(target))
                {
                    return null;
                }

                var records = await dns.TxtAsync(target, cancellationToken).ConfigureAwait(false);
                if (records.Count != 1 || records[0].Any(c => c > 126) || !IsMacroString(records[0], explain: true))
                {
                    return null;
                }

                var text = await ExpandExplanationAsync(records[0], domain).ConfigureAwait(false);
                return text;
            }
            catch (Exception ex) when (ex is DnsTimeoutException or SpfLimitException or FormatException)
            {
                return null; // an explanation that cannot be had leaves the default one
            }
        }

        private async Task<string> ExpandExplanationAsync(string text, string domain)
        {
            await PrepareAsync(text, domain).ConfigureAwait(false);
            return Expand(text, domain, explain: true);
        }

        private void CountLookup()
        {
            if (++Lookups > LookupLimit)
            {
                throw new SpfLimitException($"more than {LookupLimit} DNS-querying terms (include, a, mx, ptr, exists, redirect)");
            }
        }

        private void CountVoid()
        {
            if (++Voids > VoidLimit)
            {
                throw new SpfLimitException($"more than {VoidLimit} lookups returned no answer (void lookup limit)");
            }
        }

        private int Cidr(Term term) => ip.AddressFamily == AddressFamily.InterNetworkV6 ? term.Cidr6 ?? 128 : term.Cidr4 ?? 32;

        /// <summary>Resolves the "p" macro's validated name when a spec uses it: one of the client's validated PTR names, the domain's own first.</summary>
        private async Task PrepareAsync(string spec, string domain)
        {
            if (validatedName is null && spec.Contains("%{p", StringComparison.OrdinalIgnoreCase))
            {
                var names = await ValidatedNamesAsync(countVoid: false).ConfigureAwait(false);
                validatedName = names.FirstOrDefault(n => SameOrSubdomain(n, domain)) ?? names.FirstOrDefault() ?? "unknown";
            }
        }

        private async Task<string> ExpandAsync(string spec, string domain)
        {
            await PrepareAsync(spec, domain).ConfigureAwait(false);
            return Expand(spec, domain, explain: false);
        }

        /// <summary>Expands a macro-string (RFC 7208 7); a domain result longer than 253 characters loses labels on the left.</summary>
        private string Expand(string spec, string domain, bool explain)
        {
            var output = new StringBuilder();
            for (var i = 0; i < spec.Length; i++)
            {
                var c = spec[i];
                if (c != '%')
                {
                    output.Append(c);
                    continue;
                }

                var next = spec[++i];
                switch (next)
                {
                    case '%':
                        output.Append('%');
                        continue;
                    case '_':
                        output.Append(' ');
                        continue;
                    case '-':
                        output.Append("%20");
                        continue;
                }

                var close = spec.IndexOf('}', i);
                var body = spec[(i + 1)..close];
                i = close;
                output.Append(ExpandMacro(body, domain));
            }

            var result = output.ToString();
            if (!explain)
            {
                while (result.Length > 253 && result.Contains('.', StringComparison.Ordinal))
                {
                    result = result[(result.IndexOf('.', StringComparison.Ordinal) + 1)..];
                }
            }

            return result;
        }

        private string ExpandMacro(string body, string domain)
        {
            var m = MacroPattern().Match(body);
            var letter = m.Groups["l"].Value[0];
            var value = char.ToLowerInvariant(letter) switch
            {
                's' => sender,
                'l' => local,
                'o' => senderDomain,
                'd' => domain,
                'i' => ip.AddressFamily == AddressFamily.InterNetworkV6 ? Nibbles(ip) : ip.ToString(),
                'p' => validatedName ?? "unknown",
                'v' => ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
                'h' => helo,
                'c' => ip.ToString(),
                'r' => "unknown",
                't' => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                _ => throw new FormatException("unknown macro letter " + letter),
            };
            var delimiters = m.Groups["delim"].Success && m.Groups["delim"].Value.Length > 0 ? m.Groups["delim"].Value.ToCharArray() : ['.'];
            var parts = value.Split(delimiters).ToList();
            if (m.Groups["r"].Success && m.Groups["r"].Value.Length > 0)
            {
                parts.Reverse();
            }

            if (m.Groups["n"].Success && m.Groups["n"].Value.Length > 0)
            {
                var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                if (n == 0)
                {
                    throw new SpfLimitException("a macro asks for zero labels");
                }

                parts = parts.Skip(Math.Max(0, parts.Count - n)).ToList();
            }

            var joined = string.Join('.', parts);
            return char.IsUpper(letter) ? Uri.EscapeDataString(joined) : joined;
        }

        private static string Nibbles(IPAddress address) =>
            string.Join('.', Convert.ToHexString(address.GetAddressBytes()).Select(c => c.ToString()));
    }

    private static bool IsSpfRecord(string txt) =>
        txt.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || txt.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase);

    private static bool SameOrSubdomain(string name, string target)
    {
        target = target.TrimEnd('.');
        return name.Equals(target, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + target, StringComparison.OrdinalIgnoreCase);
    }

    internal static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (network.IsIPv4MappedToIPv6)
        {
            network = network.MapToIPv4();
        }

        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)$")]
    private static partial Regex ModifierPattern();

    [GeneratedRegex(@"^([+\-~?]?)([A-Za-z][A-Za-z0-9\-_.]*)(.*)$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^(?::(?<d>.+?))?(?:/(?<c4>0|[1-9][0-9]?))?(?://(?<c6>0|[1-9][0-9]{0,2}))?$")]
    private static partial Regex DualCidrPattern();

    [GeneratedRegex(@"^:(?<ip>(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(?:/(?<c>0|[1-9][0-9]?))?$")]
    private static partial Regex Ip4Pattern();

    [GeneratedRegex(@"^:(?<ip>[0-9A-Fa-f:.]+)(?:/(?<c>0|[1-9][0-9]{0,2}))?$")]
    private static partial Regex Ip6Pattern();

    [GeneratedRegex(@"^(?<l>[slodiphcrtvSLODIPHCRTV])(?<n>[0-9]*)(?<r>[rR]?)(?<delim>[.\-+,/_=]*)$")]
    private static partial Regex MacroPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabelPattern();
}

/// <summary>A processing limit of RFC 7208 4.6.4 was exceeded: permerror.</summary>
internal sealed class SpfLimitException(string message) : Exception(message);
