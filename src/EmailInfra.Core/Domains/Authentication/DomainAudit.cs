using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>How a check came out. Unknown means DNS did not answer: never read as a pass.</summary>
public enum AuditStatus
{
    Pass,
    Warn,
    Fail,
    Unknown,
}

/// <summary>One check's result, the records it saw, and the exact record to publish when something is wrong.</summary>
public sealed record AuditFinding(string Check, AuditStatus Status, string Summary, IReadOnlyList<string> Evidence, string? Fix = null);

/// <summary>A domain's audit: every finding, taken at one time.</summary>
public sealed record AuditReport(string Domain, DateTimeOffset At, IReadOnlyList<AuditFinding> Findings)
{
    public AuditStatus Worst => Findings.Count == 0 ? AuditStatus.Pass : Findings.Max(f => f.Status);
}

/// <summary>What to audit: the domain, the addresses its mail leaves from, the DKIM selectors it signs with, and mail it sent, as received.</summary>
public sealed record AuditRequest(string Domain, IReadOnlyList<IPAddress> SendingIps, IReadOnlyList<string> Selectors, IReadOnlyList<MimeKit.MimeMessage>? ReceivedMail = null);

/// <summary>Which blocklists to ask. Bound from the "Audit" configuration section.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>DNSBL zones for sending IPs.</summary>
    public IList<string> IpBlocklists { get; } = [];

    /// <summary>Domain blocklist zones.</summary>
    public IList<string> DomainBlocklists { get; } = [];

    /// <summary>DKIM selectors the domains sign with (the daily audit checks these besides the providers' usual ones).</summary>
    public IList<string> Selectors { get; } = [];

    /// <summary>A newer copy of publicsuffix.org's list than the one EmailInfra ships (organisational domains for DMARC).</summary>
    public string? PublicSuffixListFile { get; set; }

    /// <summary>Zones used when none are configured: Spamhaus ZEN and DBL.</summary>
    public static readonly string[] DefaultIpBlocklists = ["zen.spamhaus.org"];

    public static readonly string[] DefaultDomainBlocklists = ["dbl.spamhaus.org"];
}

/// <summary>
/// Audits a sending domain's DNS: MX, SPF (check_host for each sending IP, and the lookup cost), DKIM keys, DMARC,
/// PTR with forward confirmation, MTA-STS and TLS-RPT, and DNS blocklists. Every finding carries its evidence and fix.
/// </summary>
public sealed class DomainAuditor(IDnsRecords dns, AuditOptions options, TimeProvider time)
{
    /// <summary>Selectors the big providers use, looked at besides the configured ones (reported only when found).</summary>
    private static readonly string[] ProviderSelectors = ["google", "selector1", "selector2", "default", "k1", "s1", "s2", "dkim", "mail"];

    private readonly PublicSuffixList suffixes = options.PublicSuffixListFile is { Length: > 0 } file ? PublicSuffixList.Load(file) : PublicSuffixList.Default;

    // An address no SPF record should authorise: evaluating for it walks the whole record and so measures its cost.
    private static readonly IPAddress Unlisted = IPAddress.Parse("192.0.2.255");

    public async Task<AuditReport> AuditAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var domain = request.Domain.Trim().TrimEnd('.').ToLowerInvariant();
        var findings = new List<AuditFinding>();
        findings.AddRange(await Guard("MX", One(() => MxAsync(domain, cancellationToken))).ConfigureAwait(false));
        findings.AddRange(await Guard("SPF", () => SpfAsync(domain, request.SendingIps, cancellationToken)).ConfigureAwait(false));
        findings.AddRange(await Guard("DKIM", () => DkimAsync(domain, request.Selectors, cancellationToken)).ConfigureAwait(false));
        foreach (var (message, n) in (request.ReceivedMail ?? []).Select((m, n) => (m, n + 1)))
        {
            findings.Add(await ReceivedSignatureAsync(domain, message, n, cancellationToken).ConfigureAwait(false));
        }

        findings.AddRange(await Guard("DMARC", One(() => DmarcAsync(domain, cancellationToken))).ConfigureAwait(false));
        foreach (var ip in request.SendingIps)
        {
            findings.AddRange(await Guard($"PTR {ip}", One(() => PtrAsync(ip, cancellationToken))).ConfigureAwait(false));
        }

        findings.AddRange(await Guard("MTA-STS", One(() => PolicyRecordAsync("MTA-STS", "_mta-sts." + domain, "v=STSv1", cancellationToken))).ConfigureAwait(false));
        findings.AddRange(await Guard("TLS-RPT", One(() => PolicyRecordAsync("TLS-RPT", "_smtp._tls." + domain, "v=TLSRPTv1", cancellationToken))).ConfigureAwait(false));
        findings.AddRange(await BlocklistsAsync(domain, request.SendingIps, cancellationToken).ConfigureAwait(false));
        return new AuditReport(domain, time.GetUtcNow(), findings);
    }

    /// <summary>Runs one check; a DNS server that does not answer makes it UNKNOWN (temperror), never a pass.</summary>
    private static async Task<IReadOnlyList<AuditFinding>> Guard(string check, Func<Task<IReadOnlyList<AuditFinding>>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (DnsTimeoutException ex)
        {
            return [new AuditFinding(check, AuditStatus.Unknown, "DNS did not answer (temperror): " + ex.Message, [])];
        }
    }

    private static Func<Task<IReadOnlyList<AuditFinding>>> One(Func<Task<AuditFinding>> run) => async () => [await run().ConfigureAwait(false)];

    private async Task<AuditFinding> MxAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await dns.MxAsync(domain, cancellationToken).ConfigureAwait(false);
        var fix = $"{domain}. MX 10 mail.{domain}.";
        if (mx.Count == 0)
        {
            return new AuditFinding("MX", AuditStatus.Fail, "no MX record: bounces and replies to this domain cannot be delivered", [], fix);
        }

        if (mx.All(m => m.Host is "" or "."))
        {
            return new AuditFinding("MX", AuditStatus.Fail, "null MX (RFC 7505): the domain accepts no mail, so replies and bounces are lost", [$"MX {mx[0].Preference} ."], fix);
        }

        var evidence = new List<string>();
        var unresolved = new List<string>();
        foreach (var (preference, host) in mx)
        {
            var v4 = await dns.AddressesAsync(host, ipv6: false, cancellationToken).ConfigureAwait(false);
            var v6 = await dns.AddressesAsync(host, ipv6: true, cancellationToken).ConfigureAwait(false);
            evidence.Add($"MX {preference} {host} -> {(v4.Count + v6.Count == 0 ? "no address" : string.Join(", ", v4.Concat(v6)))}");
            if (v4.Count + v6.Count == 0)
            {
                unresolved.Add(host);
            }
        }

        return unresolved.Count == mx.Count
            ? new AuditFinding("MX", AuditStatus.Fail, "no MX host has an address", evidence, $"{unresolved[0]}. A <address of the mail server>")
            : unresolved.Count > 0
                ? new AuditFinding("MX", AuditStatus.Warn, $"MX host(s) without an address: {string.Join(", ", unresolved)}", evidence)
                : new AuditFinding("MX", AuditStatus.Pass, $"{mx.Count} MX host(s), all resolvable", evidence);
    }

    private async Task<IReadOnlyList<AuditFinding>> SpfAsync(string domain, IReadOnlyList<IPAddress> ips, CancellationToken cancellationToken)
    {
        var mechanisms = ips.Count == 0 ? "ip4:<your sending IP>" : string.Join(' ', ips.Select(ip => (ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + ip));
        var suggested = $"{domain}. TXT \"v=spf1 {mechanisms} -all\"";
        var records = (await dns.TxtAsync(domain, cancellationToken).ConfigureAwait(false))
            .Where(t => t.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || t.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase)).ToList();
        if (records.Count == 0)
        {
            return [new AuditFinding("SPF", AuditStatus.Fail, "no SPF record: receivers cannot tell which servers may send for the domain", [], suggested)];
        }

        if (records.Count > 1)
        {
            return [new AuditFinding("SPF", AuditStatus.Fail, $"{records.Count} SPF records: receivers treat that as permerror", records, "publish exactly one: " + suggested)];
        }

        var record = records[0];
        var evidence = new List<string> { record };
        var evaluator = new SpfEvaluator(dns);
        var cost = await evaluator.CheckHostAsync(Unlisted, "postmaster@" + domain, domain, cancellationToken).ConfigureAwait(false);
        var findings = new List<AuditFinding>();
        evidence.Add($"DNS lookups: {cost.DnsLookups} of 10, void lookups: {cost.VoidLookups} of 2");
        if (cost.Verdict == SpfVerdict.TempError)
        {
            findings.Add(new AuditFinding("SPF", AuditStatus.Unknown, "temperror while evaluating: " + cost.Problem, evidence));
        }
        else if (cost.Verdict == SpfVerdict.PermError)
        {
            findings.Add(new AuditFinding("SPF", AuditStatus.Fail, "permerror: " + cost.Problem, evidence, "flatten includes into ip4:/ip6: mechanisms (at most 10 DNS-querying terms): " + suggested));
        }
        else if (cost.Verdict == SpfVerdict.Pass)
        {
            findings.Add(new AuditFinding("SPF", AuditStatus.Fail, "the record authorises any address (+all or equivalent)", evidence, suggested));
        }
        else if (cost.DnsLookups >= 8)
        {
            findings.Add(new AuditFinding("SPF", AuditStatus.Warn, $"{cost.DnsLookups} of the 10 allowed DNS lookups used: one more include breaks SPF", evidence, suggested));
        }
        else
        {
            findings.Add(new AuditFinding("SPF", cost.Verdict == SpfVerdict.Fail ? AuditStatus.Pass : AuditStatus.Warn,
                cost.Verdict == SpfVerdict.Fail ? "one valid record ending in a hard fail" : $"unlisted senders get '{cost.Verdict.ToString().ToLowerInvariant()}', not 'fail': end the record with -all", evidence,
                cost.Verdict == SpfVerdict.Fail ? null : suggested));
        }

        foreach (var ip in ips)
        {
            var result = await evaluator.CheckHostAsync(ip, "postmaster@" + domain, domain, cancellationToken).ConfigureAwait(false);
            var mechanism = (ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + ip;
            findings.Add(result.Verdict switch
            {
                SpfVerdict.Pass => new AuditFinding($"SPF {ip}", AuditStatus.Pass, $"{ip} passes (matched {result.Mechanism})", [record]),
                SpfVerdict.TempError => new AuditFinding($"SPF {ip}", AuditStatus.Unknown, "temperror: " + result.Problem, [record]),
                SpfVerdict.PermError => new AuditFinding($"SPF {ip}", AuditStatus.Fail, "permerror: " + result.Problem, [record], suggested),
                _ => new AuditFinding($"SPF {ip}", AuditStatus.Fail, $"{ip} is not authorised: SPF gives {result.Verdict.ToString().ToLowerInvariant()}", [record],
                    $"{domain}. TXT \"{InsertMechanism(record, mechanism)}\""),
            });
        }

        return findings;
    }

    private static string InsertMechanism(string record, string mechanism)
    {
        var parts = record.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        parts.Insert(1, mechanism);
        return string.Join(' ', parts);
    }

    private async Task<IReadOnlyList<AuditFinding>> DkimAsync(string domain, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        foreach (var selector in selectors.Concat(ProviderSelectors.Except(selectors, StringComparer.OrdinalIgnoreCase)))
        {
            var configured = selectors.Contains(selector, StringComparer.OrdinalIgnoreCase);
            var name = $"{selector}._domainkey.{domain}";
            var records = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                if (configured)
                {
                    findings.Add(new AuditFinding($"DKIM {selector}", AuditStatus.Fail, $"no key at {name}", [],
                        $"{name}. TXT \"v=DKIM1; k=rsa; p=<base64 public key of a 2048-bit RSA key>\""));
                }

                continue;
            }

            findings.Add(DkimKey.Assess(selector, name, string.Join(string.Empty, records)));
        }

        if (findings.Count == 0)
        {
            findings.Add(new AuditFinding("DKIM", AuditStatus.Fail, "no DKIM key found at the configured or usual selectors",
                [string.Join(", ", ProviderSelectors)], $"<selector>._domainkey.{domain}. TXT \"v=DKIM1; k=rsa; p=<base64 public key of a 2048-bit RSA key>\""));
        }

        return findings;
    }

    /// <summary>The strongest proof: a signature aligned with the domain (relaxed DMARC alignment) verifies on mail as it was received.</summary>
    private async Task<AuditFinding> ReceivedSignatureAsync(string domain, MimeKit.MimeMessage message, int n, CancellationToken cancellationToken)
    {
        var check = $"DKIM mail {n}";
        var results = await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Rfc8301, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var evidence = results.Select(r => $"d={r.Domain} s={r.Selector}: {r.Result}{(r.Problem is null ? string.Empty : " (" + r.Problem + ")")}").Prepend($"Message-ID {message.MessageId}").ToList();
        // Relaxed DMARC alignment: a signature counts when its d= shares the domain's organisational domain.
        var organisational = suffixes.OrganisationalDomain(domain);
        var ours = results.Where(r => r.Domain.Length > 0 && suffixes.OrganisationalDomain(r.Domain).Equals(organisational, StringComparison.OrdinalIgnoreCase)).ToList();
        var fix = "sign outgoing mail with d=" + domain + " and publish the selector's key";
        return DkimVerification.Best(ours) switch
        {
            "pass" => new AuditFinding(check, AuditStatus.Pass, "a signature of the domain verifies on the received mail", evidence),
            "temperror" => new AuditFinding(check, AuditStatus.Unknown, "the key could not be fetched (DNS did not answer)", evidence),
            _ when ours.Count == 0 => new AuditFinding(check, AuditStatus.Fail, $"no DKIM signature of {domain} on the received mail", evidence, fix),
            _ => new AuditFinding(check, AuditStatus.Fail, "the domain's signature does not verify on the received mail", evidence, fix),
        };
    }

    private async Task<AuditFinding> DmarcAsync(string domain, CancellationToken cancellationToken)
    {
        var suggested = $"_dmarc.{domain}. TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@{domain}; adkim=r; aspf=r\"";
        var name = "_dmarc." + domain;
        var records = (await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false)).Where(IsDmarc).ToList();
        var organisational = suffixes.OrganisationalDomain(domain);
        var inherited = false;
        if (records.Count == 0 && !organisational.Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 7489 6.6.3: a name without a record of its own takes its organisational domain's (public suffix list + one label)
            name = "_dmarc." + organisational;
            records = (await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false)).Where(IsDmarc).ToList();
            inherited = records.Count > 0;
        }

        if (records.Count == 0)
        {
            return new AuditFinding("DMARC", AuditStatus.Fail, "no DMARC record: Gmail and Yahoo require one from bulk senders", [], suggested);
        }

        if (records.Count > 1)
        {
            return new AuditFinding("DMARC", AuditStatus.Fail, $"{records.Count} DMARC records at {name}: receivers ignore them all", records, suggested);
        }

        var record = DmarcRecord.Parse(records[0]);
        var evidence = new List<string> { $"{name}: {records[0]}" };
        if (record.Problem is { } problem)
        {
            return new AuditFinding("DMARC", AuditStatus.Fail, "invalid record: " + problem, evidence, suggested);
        }

        var policy = inherited ? record.SubdomainPolicy ?? record.Policy : record.Policy;
        var warnings = new List<string>();
        if (policy == "none")
        {
            warnings.Add("p=none only monitors: failing mail is still delivered");
        }

        if (record.Rua.Count == 0)
        {
            warnings.Add("no rua: you get no aggregate reports");
        }

        if (record.Percent < 100)
        {
            warnings.Add($"pct={record.Percent}: the policy applies to part of the mail only");
        }

        // Our mail is sent with MAIL FROM and DKIM d= on the sending domain itself: strict alignment needs that exact domain.
        evidence.Add($"alignment: SPF (MAIL FROM {domain}) {record.Aspf}, DKIM (d={domain}) {record.Adkim}: aligned");
        if (inherited && (record.Aspf == "s" || record.Adkim == "s"))
        {
            warnings.Add($"strict alignment on {name} does not match mail from {domain}");
        }

        return warnings.Count > 0
            ? new AuditFinding("DMARC", AuditStatus.Warn, string.Join("; ", warnings), evidence, suggested)
            : new AuditFinding("DMARC", AuditStatus.Pass, $"p={policy}, reports to {string.Join(", ", record.Rua)}", evidence);
    }

    private static bool IsDmarc(string txt) => txt.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase);

    private async Task<AuditFinding> PtrAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        var names = await dns.PtrAsync(ip, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return new AuditFinding($"PTR {ip}", AuditStatus.Fail, $"{ip} has no PTR record: many receivers refuse mail from it", [], $"{ReverseName(ip)}. PTR mail.<your domain>. (set by whoever owns the address)");
        }

        var evidence = new List<string>();
        foreach (var name in names)
        {
            var back = await dns.AddressesAsync(name, ip.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
            evidence.Add($"PTR {name} -> {(back.Count == 0 ? "no address" : string.Join(", ", back))}");
            if (back.Contains(ip))
            {
                return new AuditFinding($"PTR {ip}", AuditStatus.Pass, $"{ip} -> {name} -> {ip}: forward-confirmed", evidence);
            }
        }

        return new AuditFinding($"PTR {ip}", AuditStatus.Fail, $"the PTR of {ip} does not resolve back to it (no forward-confirmed reverse DNS)", evidence,
            $"{names[0]}. {(ip.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A")} {ip}");
    }

    /// <summary>The in-addr.arpa / ip6.arpa name of an address.</summary>
    public static string ReverseName(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Join('.', Convert.ToHexStringLower(bytes).Reverse()) + ".ip6.arpa"
            : string.Join('.', bytes.Reverse()) + ".in-addr.arpa";
    }

    private async Task<AuditFinding> PolicyRecordAsync(string check, string name, string version, CancellationToken cancellationToken)
    {
        var records = (await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false)).Where(t => t.StartsWith(version, StringComparison.OrdinalIgnoreCase)).ToList();
        return records.Count switch
        {
            0 => new AuditFinding(check, AuditStatus.Pass, "not published (optional for a sending domain)", []),
            1 => new AuditFinding(check, AuditStatus.Pass, "published", [$"{name}: {records[0]}"]),
            _ => new AuditFinding(check, AuditStatus.Warn, $"{records.Count} records at {name}: receivers ignore them", records),
        };
    }

    private async Task<IReadOnlyList<AuditFinding>> BlocklistsAsync(string domain, IReadOnlyList<IPAddress> ips, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var ipZones = options.IpBlocklists.Count > 0 ? options.IpBlocklists.ToArray() : AuditOptions.DefaultIpBlocklists;
        var domainZones = options.DomainBlocklists.Count > 0 ? options.DomainBlocklists.ToArray() : AuditOptions.DefaultDomainBlocklists;
        foreach (var ip in ips.Where(i => i.AddressFamily == AddressFamily.InterNetwork))
        {
            var reversed = ReverseName(ip)[..^".in-addr.arpa".Length]; // the DNSBL query name is the PTR name under the list's zone
            foreach (var zone in ipZones)
            {
                findings.Add(await ListingAsync($"DNSBL {zone} {ip}", $"{reversed}.{zone}", $"{ip}", cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var zone in domainZones)
        {
            findings.Add(await ListingAsync($"DNSBL {zone}", $"{domain}.{zone}", domain, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    private async Task<AuditFinding> ListingAsync(string check, string query, string subject, CancellationToken cancellationToken)
    {
        try
        {
            var answers = await dns.AddressesAsync(query, ipv6: false, cancellationToken).ConfigureAwait(false);
            if (answers.Count == 0)
            {
                return new AuditFinding(check, AuditStatus.Pass, $"{subject} is not listed", []);
            }

            var codes = answers.Select(a => a.ToString()).ToList();
            if (answers.All(a => a.ToString().StartsWith("127.255.255.", StringComparison.Ordinal)))
            {
                // Spamhaus's answers for refused queries (public resolvers, over the limit): the list was not consulted
                return new AuditFinding(check, AuditStatus.Unknown, "the list refused the query (public resolver or rate limit): listing unknown", codes);
            }

            var reasons = await dns.TxtAsync(query, cancellationToken).ConfigureAwait(false);
            return new AuditFinding(check, AuditStatus.Fail, $"{subject} is listed", codes.Concat(reasons).ToList(), "request delisting from the list's operator after fixing the cause; stop sending from it meanwhile");
        }
        catch (DnsTimeoutException ex)
        {
            return new AuditFinding(check, AuditStatus.Unknown, "DNS did not answer: " + ex.Message, []);
        }
    }
}

/// <summary>A DKIM key record (RFC 6376 3.6.1) judged: present, parsable, not revoked, 2048-bit RSA or Ed25519.</summary>
public static class DkimKey
{
    public static AuditFinding Assess(string selector, string name, string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var check = $"DKIM {selector}";
        var tags = Tags(record);
        var evidence = new List<string> { $"{name}: {(record.Length > 120 ? record[..120] + "…" : record)}" };
        var fix = $"{name}. TXT \"v=DKIM1; k=rsa; p=<base64 public key of a 2048-bit RSA key>\"";
        if (tags.TryGetValue("v", out var version) && version != "DKIM1")
        {
            return new AuditFinding(check, AuditStatus.Fail, $"v={version}: not a DKIM1 key", evidence, fix);
        }

        if (!tags.TryGetValue("p", out var p))
        {
            return new AuditFinding(check, AuditStatus.Fail, "the record has no p= tag", evidence, fix);
        }

        if (p.Length == 0)
        {
            return new AuditFinding(check, AuditStatus.Fail, "key revoked (empty p=): signatures with this selector fail", evidence, fix);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(p);
        }
        catch (FormatException)
        {
            return new AuditFinding(check, AuditStatus.Fail, "p= is not valid base64", evidence, fix);
        }

        var type = tags.GetValueOrDefault("k", "rsa").ToLowerInvariant();
        if (type == "ed25519")
        {
            return key.Length == 32
                ? new AuditFinding(check, AuditStatus.Pass, "Ed25519 key (pair it with an RSA selector: not every receiver verifies Ed25519)", evidence)
                : new AuditFinding(check, AuditStatus.Fail, $"Ed25519 key of {key.Length} bytes (32 expected)", evidence, fix);
        }

        if (type != "rsa")
        {
            return new AuditFinding(check, AuditStatus.Fail, $"unknown key type k={type}", evidence, fix);
        }

        using var rsa = ImportRsa(key);
        if (rsa is null)
        {
            return new AuditFinding(check, AuditStatus.Fail, "p= does not hold an RSA public key", evidence, fix);
        }

        var bits = rsa.KeySize;

        evidence.Add(string.Create(CultureInfo.InvariantCulture, $"RSA {bits} bits"));
        return bits switch
        {
            < 1024 => new AuditFinding(check, AuditStatus.Fail, $"{bits}-bit RSA key: receivers ignore keys under 1024 bits", evidence, fix),
            < 2048 => new AuditFinding(check, AuditStatus.Warn, $"{bits}-bit RSA key: works, but 2048 bits is the norm", evidence, fix),
            _ => new AuditFinding(check, AuditStatus.Pass, $"{bits}-bit RSA key", evidence),
        };
    }

    /// <summary>The RSA key of a p= value: a SubjectPublicKeyInfo, or the bare RSAPublicKey some publish; null when it is neither.</summary>
    internal static RSA? ImportRsa(byte[] key)
    {
        var rsa = RSA.Create();
        try
        {
            try
            {
                rsa.ImportSubjectPublicKeyInfo(key, out _);
            }
            catch (CryptographicException)
            {
                rsa.ImportRSAPublicKey(key, out _);
            }

            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }

    /// <summary>tag=value pairs separated by ';', whitespace ignored (RFC 6376 3.2).</summary>
    internal static Dictionary<string, string> Tags(string record)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in record.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                tags.TryAdd(part[..eq].Trim(), string.Concat(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c))));
            }
        }

        return tags;
    }
}

/// <summary>A parsed DMARC record (RFC 7489 6.3).</summary>
public sealed record DmarcRecord(string Policy, string? SubdomainPolicy, int Percent, IReadOnlyList<string> Rua, IReadOnlyList<string> Ruf, string Adkim, string Aspf, string Fo, string? Problem)
{
    public static DmarcRecord Parse(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = record.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                tags.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim());
            }
        }

        string? problem = null;
        if (parts.Length == 0 || !parts[0].Replace(" ", string.Empty, StringComparison.Ordinal).Equals("v=DMARC1", StringComparison.Ordinal))
        {
            problem = "v=DMARC1 must come first";
        }

        var p = tags.GetValueOrDefault("p", string.Empty).ToLowerInvariant();
        var sp = tags.TryGetValue("sp", out var s) ? s.ToLowerInvariant() : null;
        if (problem is null && p is not ("none" or "quarantine" or "reject"))
        {
            problem = p.Length == 0 ? "p= is required" : $"p={p} is not none, quarantine or reject";
        }

        if (problem is null && sp is not null and not ("none" or "quarantine" or "reject"))
        {
            problem = $"sp={sp} is not none, quarantine or reject";
        }

        var pct = 100;
        if (problem is null && tags.TryGetValue("pct", out var pctText) && (!int.TryParse(pctText, NumberStyles.None, CultureInfo.InvariantCulture, out pct) || pct > 100))
        {
            problem = $"pct={pctText} is not 0-100";
        }

        var adkim = tags.GetValueOrDefault("adkim", "r").ToLowerInvariant();
        var aspf = tags.GetValueOrDefault("aspf", "r").ToLowerInvariant();
        if (problem is null && (adkim is not ("r" or "s") || aspf is not ("r" or "s")))
        {
            problem = "adkim and aspf must be r or s";
        }

        var fo = tags.GetValueOrDefault("fo", "0");
        if (problem is null && fo.Split(':').Any(f => f is not ("0" or "1" or "d" or "s")))
        {
            problem = $"fo={fo} is not a list of 0, 1, d, s";
        }

        var rua = Uris(tags.GetValueOrDefault("rua"));
        var ruf = Uris(tags.GetValueOrDefault("ruf"));
        if (problem is null && rua.Concat(ruf).FirstOrDefault(u => !u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || !u.Contains('@', StringComparison.Ordinal)) is { } bad)
        {
            problem = $"report URI {bad} is not a mailto: address";
        }

        return new DmarcRecord(p, sp, pct, rua, ruf, adkim, aspf, fo, problem);
    }

    private static List<string> Uris(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => u.Split('!')[0]).ToList();
}
