using System.Globalization;
using System.Reflection;

namespace EmailInfra.Core.Domains;

/// <summary>
/// The Public Suffix List (publicsuffix.org): which names are registries (com, co.uk, github.io), and so which domain is
/// a name's organisational domain (RFC 7489 3.2) — what DMARC looks up when a subdomain has no record of its own, and
/// what relaxed alignment compares.
/// </summary>
/// <remarks>
/// A copy of the list ships inside EmailInfra.Core (Debian's publicsuffix 20230209, MPL 2.0) so audits need no download;
/// <c>Audit:PublicSuffixListFile</c> points at a newer copy. Rules are matched as the list's own algorithm says: the
/// exception rule if one matches, else the rule with most labels, else "*" (the top-level label).
/// </remarks>
public sealed class PublicSuffixList
{
    private static readonly Lazy<PublicSuffixList> Embedded = new(() =>
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("EmailInfra.Core.Domains.public_suffix_list.dat")
            ?? throw new InvalidOperationException("the embedded public suffix list is missing from EmailInfra.Core");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    });

    private static readonly IdnMapping Idn = new();

    private readonly HashSet<string> rules;
    private readonly HashSet<string> exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> exceptions)
    {
        this.rules = rules;
        this.exceptions = exceptions;
    }

    /// <summary>The list that ships with EmailInfra.</summary>
    public static PublicSuffixList Default => Embedded.Value;

    /// <summary>Number of rules (exceptions included).</summary>
    public int Count => rules.Count + exceptions.Count;

    /// <summary>Reads a list in publicsuffix.org's format; a file that holds no rule is refused.</summary>
    public static PublicSuffixList Load(string path)
    {
        using var reader = new StreamReader(path);
        var list = Parse(reader);
        return list.Count > 0 ? list : throw new InvalidDataException($"{path} holds no public suffix rules");
    }

    /// <summary>The list's text: one rule per line, "//" comments, "*." wildcards, "!" exceptions; rules kept in ASCII (punycode) form.</summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var rule = line.Split(' ', '\t')[0];
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (rule.StartsWith('!'))
            {
                exceptions.Add(Ascii(rule[1..]));
            }
            else
            {
                rules.Add(rule.StartsWith("*.", StringComparison.Ordinal) ? "*." + Ascii(rule[2..]) : Ascii(rule));
            }
        }

        return new PublicSuffixList(rules, exceptions);
    }

    /// <summary>The public suffix of a domain name (e.g. "co.uk" for "mail.example.co.uk").</summary>
    public string PublicSuffix(string domain)
    {
        var labels = Labels(domain);
        // Walk from the whole name down to its last label: the first (longest) match is the prevailing rule.
        for (var start = 0; start < labels.Length; start++)
        {
            var candidate = string.Join('.', labels[start..]);
            if (exceptions.Contains(candidate))
            {
                return string.Join('.', labels[(start + 1)..]); // an exception rule's suffix is the rule minus its first label
            }

            if (rules.Contains(candidate) || (start + 1 < labels.Length && rules.Contains("*." + string.Join('.', labels[(start + 1)..]))))
            {
                return candidate;
            }
        }

        return labels[^1];
    }

    /// <summary>The organisational domain: the public suffix plus one label; a name that is itself a public suffix is its own.</summary>
    public string OrganisationalDomain(string domain)
    {
        var labels = Labels(domain);
        var suffix = PublicSuffix(domain).Split('.').Length;
        return labels.Length > suffix ? string.Join('.', labels[^(suffix + 1)..]) : string.Join('.', labels);
    }

    private static string[] Labels(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        return Ascii(domain.TrimEnd('.')).Split('.');
    }

    private static string Ascii(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.All(char.IsAscii) ? lower : Idn.GetAscii(lower);
    }
}
