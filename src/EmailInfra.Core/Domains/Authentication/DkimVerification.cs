using System.Globalization;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>One DKIM signature's verdict: pass, fail (hash or signature mismatch), invalid (cannot be checked) or temperror (DNS did not answer).</summary>
public sealed record DkimSignatureResult(string Domain, string Selector, string Result, string? Problem);

/// <summary>Verifies the DKIM signatures of received mail with MimeKit, keys fetched from DNS: the strongest proof that signing works.</summary>
/// <remarks>
/// Before the cryptography, the signature and its key record are held to the rules a verifier must apply (RFC 6376 3.5,
/// 3.6.1, 6.1.1; g= from RFC 4871): query method, expiry, key type, acceptable hashes, service type, t=s and granularity.
/// </remarks>
public static class DkimVerification
{
    // Signatures are computed over CRLF lines, whatever the platform's newline.
    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>Every DKIM-Signature of the message, in order, with its verdict (minimumRsaBits: 1024 per RFC 8301; old test corpora sign with 512).</summary>
    public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, IDnsRecords dns, int minimumRsaBits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(dns);
        var keys = new KeyRecords();
        var verifier = new DkimVerifier(keys) { MinimumRsaKeyLength = minimumRsaBits };
        verifier.Enable(DkimSignatureAlgorithm.RsaSha1); // still in the wild; receivers report it
        var results = new List<DkimSignatureResult>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var tags = DkimKey.Tags(header.Value);
            var domain = tags.GetValueOrDefault("d", string.Empty);
            var selector = tags.GetValueOrDefault("s", string.Empty);
            DkimSignatureResult Result(string result, string? problem) => new(domain, selector, result, problem);
            try
            {
                if (SignatureProblem(tags, now) is { } unusable)
                {
                    results.Add(Result("invalid", unusable));
                    continue;
                }

                var name = $"{selector}._domainkey.{domain}";
                var records = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
                if (records.Count == 0)
                {
                    results.Add(Result("invalid", $"no key at {name}"));
                    continue;
                }

                var record = string.Concat(records);
                if (KeyProblem(tags, DkimKey.Tags(record)) is { } refused)
                {
                    results.Add(Result("invalid", refused));
                    continue;
                }

                keys[name] = record;
                var ok = await verifier.VerifyAsync(Crlf, message, header, cancellationToken).ConfigureAwait(false);
                results.Add(Result(ok ? "pass" : "fail", ok ? null : "signature or body hash does not match"));
            }
            catch (DnsTimeoutException ex)
            {
                results.Add(Result("temperror", ex.Message));
            }
            catch (Exception ex) when (ex is FormatException or ParseException or NotSupportedException or KeyNotFoundException or ArgumentException or InvalidOperationException)
            {
                results.Add(Result("invalid", ex.Message));
            }
        }

        return results;
    }

    /// <summary>The message's verdict as a whole: the best of its signatures (pass, then fail, then temperror, then invalid).</summary>
    public static string Best(IReadOnlyList<DkimSignatureResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var verdict in new[] { "pass", "fail", "temperror" })
        {
            if (results.Any(r => r.Result == verdict))
            {
                return verdict;
            }
        }

        return "invalid";
    }

    private static string? SignatureProblem(Dictionary<string, string> signature, DateTimeOffset now)
    {
        if (signature.TryGetValue("q", out var query) && !query.Split(':').Contains("dns/txt", StringComparer.OrdinalIgnoreCase))
        {
            return $"unsupported query method q={query}";
        }

        if (signature.TryGetValue("x", out var expires) && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799)) < now)
        {
            return "signature expired (x=)";
        }

        return null;
    }

    private static string? KeyProblem(Dictionary<string, string> signature, Dictionary<string, string> key)
    {
        var algorithm = signature.GetValueOrDefault("a", string.Empty).ToLowerInvariant();
        var keyType = key.GetValueOrDefault("k", "rsa").ToLowerInvariant();
        if (!algorithm.StartsWith(keyType + "-", StringComparison.Ordinal))
        {
            return $"key type k={keyType} does not match a={algorithm}";
        }

        if (key.TryGetValue("p", out var p) && p.Length == 0)
        {
            return "key revoked (empty p=)";
        }

        if (keyType == "ed25519" && (!TryBase64(p, out var raw) || raw.Length != 32))
        {
            return "Ed25519 key is not 32 bytes";
        }

        var hash = algorithm[(keyType.Length + 1)..];
        if (key.TryGetValue("h", out var hashes) && !hashes.Split(':').Contains(hash, StringComparer.OrdinalIgnoreCase))
        {
            return $"key accepts h={hashes}, not {hash}";
        }

        if (key.TryGetValue("s", out var services) && !services.Split(':').Any(s => s is "*" || s.Equals("email", StringComparison.OrdinalIgnoreCase)))
        {
            return $"key is for service s={services}, not email";
        }

        var domain = signature.GetValueOrDefault("d", string.Empty);
        var identity = signature.TryGetValue("i", out var i) ? QuotedPrintable(i) : "@" + domain;
        var at = identity.LastIndexOf('@');
        var identityDomain = at >= 0 ? identity[(at + 1)..] : identity;
        if (key.TryGetValue("t", out var flags) && flags.Split(':').Contains("s") && !identityDomain.Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return "key requires i= in d= itself (t=s)";
        }

        if (key.TryGetValue("g", out var granularity) && !Granted(granularity, at > 0 ? identity[..at] : string.Empty))
        {
            return $"key granularity g={granularity} does not cover the signer's local part";
        }

        return null;
    }

    /// <summary>RFC 4871 g=: a local-part pattern with at most one "*"; empty matches nothing; compared case-sensitively.</summary>
    private static bool Granted(string pattern, string local)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        return star < 0
            ? pattern.Equals(local, StringComparison.Ordinal)
            : local.Length >= pattern.Length - 1 && local.StartsWith(pattern[..star], StringComparison.Ordinal) && local.EndsWith(pattern[(star + 1)..], StringComparison.Ordinal);
    }

    /// <summary>i= is dkim-quoted-printable (RFC 6376 2.11): "=40" is "@".</summary>
    private static string QuotedPrintable(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        for (var n = 0; n < value.Length; n++)
        {
            if (value[n] == '=' && n + 2 < value.Length && byte.TryParse(value.AsSpan(n + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                text.Append((char)b);
                n += 2;
            }
            else
            {
                text.Append(value[n]);
            }
        }

        return text.ToString();
    }

    private static bool TryBase64(string? value, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(value ?? string.Empty);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Keys already fetched and checked by <see cref="VerifyAsync"/>, handed to MimeKit without a second lookup.</summary>
    private sealed class KeyRecords : DkimPublicKeyLocatorBase
    {
        private readonly Dictionary<string, string> records = new(StringComparer.OrdinalIgnoreCase);

        public string this[string name]
        {
            set => records[name] = value;
        }

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            records.TryGetValue($"{selector}._domainkey.{domain}", out var record) ? GetPublicKey(record) : throw new KeyNotFoundException($"no key at {selector}._domainkey.{domain}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
