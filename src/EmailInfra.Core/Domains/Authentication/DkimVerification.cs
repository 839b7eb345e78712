using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>One signature's verdict: pass, fail (hash or signature mismatch), invalid (cannot be checked) or temperror (DNS did not answer).</summary>
public sealed record DkimSignatureResult(string Domain, string Selector, string Result, string? Problem, string Scheme = DkimVerification.Dkim);

/// <summary>What a verifier accepts.</summary>
public enum DkimAcceptance
{
    /// <summary>RFC 8301: rsa-sha1 (and so DomainKeys) is not acceptable, RSA keys under 1024 bits fail.</summary>
    Rfc8301,

    /// <summary>Everything mail in the wild was signed with: rsa-sha1, short test keys, pre-RFC drafts. How Mail::DKIM verifies by default.</summary>
    Legacy,
}

/// <summary>
/// Verifies the DKIM (RFC 6376, RFC 8463 Ed25519, the pre-RFC drafts without v= or with v=0.5) and DomainKeys (RFC 4870)
/// signatures of mail as received, keys fetched from DNS: the strongest proof that a domain's signing works.
/// </summary>
/// <remarks>
/// EmailInfra canonicalizes and hashes itself rather than through MimeKit's DkimVerifier: that one verifies RFC 6376
/// only (no DomainKeys, no draft signatures) and refuses valid signatures whose i= is dkim-quoted-printable. The signing
/// tests still cross-check a real OpenDKIM signature with MimeKit's verifier. Every check a verifier owes before the
/// cryptography is applied (RFC 6376 3.5, 3.6.1, 6.1.1; g= from RFC 4871): version, algorithm, canonicalization, query
/// method, expiry, identity within d=, key syntax, key type, acceptable hashes, service type, t=s and granularity.
/// </remarks>
public static class DkimVerification
{
    /// <summary>Scheme of a DKIM-Signature field.</summary>
    public const string Dkim = "dkim";

    /// <summary>Scheme of a DomainKey-Signature field.</summary>
    public const string DomainKeys = "domainkeys";

    // Signatures are computed over CRLF lines, whatever the platform's newline.
    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>Every signature of the message, in header order, with its verdict.</summary>
    public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, IDnsRecords dns, DkimAcceptance acceptance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var bytes = new MemoryStream();
        await message.WriteToAsync(Crlf, bytes, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(bytes.ToArray(), dns, acceptance, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every signature of the message (its bytes as received), in header order, with its verdict.</summary>
    public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(ReadOnlyMemory<byte> message, IDnsRecords dns, DkimAcceptance acceptance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        var signed = SignedMessage.Parse(message.Span);
        var results = new List<DkimSignatureResult>();
        for (var n = 0; n < signed.Fields.Count; n++)
        {
            var name = signed.Fields[n].Name;
            var scheme = name.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase) ? Dkim
                : name.Equals("DomainKey-Signature", StringComparison.OrdinalIgnoreCase) ? DomainKeys : null;
            if (scheme is null)
            {
                continue;
            }

            var check = new SignatureCheck(signed, n, scheme, acceptance, now);
            results.Add(await check.VerifyAsync(dns, cancellationToken).ConfigureAwait(false));
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

    /// <summary>
    /// A tag=value list (RFC 6376 3.2) read strictly: a segment without "=", a malformed name or a repeated tag is a
    /// syntax error, as a verifier must treat it. Values are trimmed of surrounding folding whitespace.
    /// </summary>
    internal static Dictionary<string, string>? ParseTags(string text, out string? problem)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        foreach (var segment in text.Split(';'))
        {
            var spec = segment.Trim(' ', '\t', '\r', '\n');
            if (spec.Length == 0)
            {
                continue;
            }

            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? spec[..equals].TrimEnd(' ', '\t', '\r', '\n') : string.Empty;
            if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                problem = $"tag list syntax error at \"{(spec.Length > 20 ? spec[..20] + "…" : spec)}\"";
                return null;
            }

            if (!tags.TryAdd(name, spec[(equals + 1)..].Trim(' ', '\t', '\r', '\n')))
            {
                problem = $"tag {name}= appears twice";
                return null;
            }
        }

        return tags;
    }

    /// <summary>One signature field of a message checked from its tags to the cryptography.</summary>
    private sealed class SignatureCheck(SignedMessage message, int index, string scheme, DkimAcceptance acceptance, DateTimeOffset now)
    {
        private string domain = string.Empty;
        private string selector = string.Empty;

        private DkimSignatureResult Result(string result, string? problem) => new(domain, selector, result, problem, scheme);

        public async Task<DkimSignatureResult> VerifyAsync(IDnsRecords dns, CancellationToken cancellationToken)
        {
            var field = message.Fields[index].Raw;
            var tags = ParseTags(field[(field.IndexOf(':', StringComparison.Ordinal) + 1)..], out var syntax);
            if (tags is null)
            {
                return Result("invalid", "signature " + syntax);
            }

            domain = tags.GetValueOrDefault("d", string.Empty).ToLowerInvariant();
            selector = tags.GetValueOrDefault("s", string.Empty);
            var signature = scheme == Dkim ? PrepareDkim(tags) : PrepareDomainKeys(tags);
            if (signature.Problem is { } unusable)
            {
                return Result("invalid", unusable);
            }

            var keyName = $"{selector}._domainkey.{domain}";
            IReadOnlyList<string> records;
            try
            {
                records = await dns.TxtAsync(keyName, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsTimeoutException ex)
            {
                return Result("temperror", ex.Message);
            }

            if (records.Count == 0)
            {
                return Result("invalid", $"no key at {keyName}");
            }

            using var key = PublicKey.Parse(records[0], signature, scheme);
            if (key.Problem is { } refused)
            {
                return Result("invalid", refused);
            }

            if (acceptance == DkimAcceptance.Rfc8301 && key.Rsa is { KeySize: < 1024 } weak)
            {
                return Result("fail", $"RSA key of {weak.KeySize} bits (RFC 8301 requires 1024 or more)");
            }

            if (signature.BodyHash is { } expected && !CryptographicOperations.FixedTimeEquals(expected, Hash(signature.HashName, signature.BodyData!)))
            {
                return Result("fail", "body hash does not match (body changed after signing)");
            }

            return key.Verifies(signature.HashName, signature.HeaderData!, signature.Claimed!)
                ? Result("pass", null)
                : Result("fail", "signature does not verify (signed header fields changed, or the wrong key)");
        }

        /// <summary>A DKIM-Signature (v=1, v=0.5 or the drafts without v=) checked and prepared for hashing.</summary>
        private Signature PrepareDkim(Dictionary<string, string> tags)
        {
            var version = tags.GetValueOrDefault("v");
            if (version is not (null or "1" or "0.5"))
            {
                return Signature.Unusable($"unsupported version v={version}");
            }

            var draft = version != "1";

            var algorithm = tags.GetValueOrDefault("a", string.Empty).ToLowerInvariant();
            if (algorithm is not ("rsa-sha1" or "rsa-sha256" or "ed25519-sha256"))
            {
                return Signature.Unusable(algorithm.Length == 0 ? "no a= tag" : $"unsupported algorithm a={algorithm}");
            }

            if (algorithm == "rsa-sha1" && acceptance == DkimAcceptance.Rfc8301)
            {
                return Signature.Unusable("rsa-sha1 is not acceptable (RFC 8301)");
            }

            var canonicalization = tags.GetValueOrDefault("c", "simple/simple").ToLowerInvariant().Split('/');
            var headerAlgorithm = canonicalization[0];
            var bodyAlgorithm = canonicalization.Length > 1 ? canonicalization[1] : "simple";
            if (canonicalization.Length > 2 || headerAlgorithm is not ("simple" or "relaxed") || bodyAlgorithm is not ("simple" or "relaxed"))
            {
                return Signature.Unusable($"unsupported canonicalization c={tags["c"]}");
            }

            if (tags.TryGetValue("q", out var query) && !query.Split(':').Any(q => q.Trim() is "dns/txt" || (draft && q.Trim() == "dns")))
            {
                return Signature.Unusable($"unsupported query method q={query}");
            }

            if (tags.TryGetValue("x", out var expires) && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799)) < now)
            {
                return Signature.Unusable("signature expired (x=)");
            }

            if (domain.Length == 0 || selector.Length == 0)
            {
                return Signature.Unusable(domain.Length == 0 ? "no d= tag" : "no s= tag");
            }

            if (!tags.TryGetValue("bh", out var bodyHashText))
            {
                return Signature.Unusable("no bh= tag (draft-00 signatures, which had none, are not verified; Mail::DKIM skips them too)");
            }

            if (!tags.TryGetValue("h", out var signedText) || !tags.TryGetValue("b", out var signatureText))
            {
                return Signature.Unusable(signedText is null ? "no h= tag" : "no b= tag");
            }

            var signedNames = signedText.Split(':').Select(h => h.Trim(' ', '\t', '\r', '\n')).Where(h => h.Length > 0).ToList();
            if (!draft && !signedNames.Contains("from", StringComparer.OrdinalIgnoreCase))
            {
                return Signature.Unusable("From is not among the signed header fields (h=)");
            }

            var identity = tags.TryGetValue("i", out var i) ? QuotedPrintable(i) : "@" + domain;
            var at = identity.LastIndexOf('@');
            if (at < 0 || !WithinDomain(identity[(at + 1)..], domain))
            {
                return Signature.Unusable($"identity i={identity} is not within d={domain}");
            }

            if (!TryBase64(bodyHashText, out var bodyHash) || !TryBase64(signatureText, out var signatureBytes))
            {
                return Signature.Unusable("bh= or b= is not base64");
            }

            var hashName = algorithm.EndsWith("sha1", StringComparison.Ordinal) ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            var body = DkimCanonicalization.Body(bodyAlgorithm, message.Body);
            if (tags.TryGetValue("l", out var lengthText))
            {
                if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    return Signature.Unusable($"l={lengthText} is not a length");
                }

                if (length > body.Length)
                {
                    return Signature.Unusable($"l={length} is longer than the body ({body.Length} bytes): content was removed");
                }

                body = body[..(int)length];
            }

            // Signed fields are taken bottom-up: each name in h= takes the last instance not yet taken; a missing one adds nothing.
            var headers = new StringBuilder();
            var taken = new bool[message.Fields.Count];
            foreach (var signedName in signedNames)
            {
                for (var n = message.Fields.Count - 1; n >= 0; n--)
                {
                    if (!taken[n] && message.Fields[n].Name.Equals(signedName, StringComparison.OrdinalIgnoreCase))
                    {
                        taken[n] = true;
                        headers.Append(DkimCanonicalization.Header(headerAlgorithm, message.Fields[n].Raw));
                        break;
                    }
                }
            }

            var own = DkimCanonicalization.Header(headerAlgorithm, DkimCanonicalization.WithoutSignatureData(message.Fields[index].Raw));
            headers.Append(own.EndsWith("\r\n", StringComparison.Ordinal) ? own[..^2] : own);
            return new Signature(null, algorithm, hashName, domain, identity, bodyHash, Encoding.Latin1.GetBytes(body), Encoding.Latin1.GetBytes(headers.ToString()), signatureBytes);
        }

        /// <summary>A DomainKey-Signature (RFC 4870) checked and prepared: it covers the fields after it, then the body, in one hash.</summary>
        private Signature PrepareDomainKeys(Dictionary<string, string> tags)
        {
            var algorithm = tags.GetValueOrDefault("a", "rsa-sha1").ToLowerInvariant();
            if (algorithm != "rsa-sha1")
            {
                return Signature.Unusable($"unsupported algorithm a={algorithm}");
            }

            if (acceptance == DkimAcceptance.Rfc8301)
            {
                return Signature.Unusable("DomainKeys signs with rsa-sha1, which is not acceptable (RFC 8301)");
            }

            var canonicalization = tags.GetValueOrDefault("c", "simple").ToLowerInvariant();
            if (canonicalization is not ("simple" or "nofws"))
            {
                return Signature.Unusable($"unsupported canonicalization c={canonicalization}");
            }

            if (tags.TryGetValue("q", out var query) && query != "dns")
            {
                return Signature.Unusable($"unsupported query method q={query}");
            }

            if (domain.Length == 0 || selector.Length == 0 || !tags.TryGetValue("b", out var signatureText))
            {
                return Signature.Unusable(domain.Length == 0 ? "no d= tag" : selector.Length == 0 ? "no s= tag" : "no b= tag");
            }

            if (!TryBase64(signatureText, out var signatureBytes))
            {
                return Signature.Unusable("b= is not base64");
            }

            var after = message.Fields.Skip(index + 1).ToList();
            if (tags.TryGetValue("h", out var signedText))
            {
                after = DomainKeysOrder(after, signedText.Split(':').Select(h => h.Trim()).Where(h => h.Length > 0).ToList());
            }

            // The sender is the signed Sender field, else From (RFC 4870 3.2); its domain must be d= or below it.
            var senderField = after.LastOrDefault(f => f.Name.Equals("Sender", StringComparison.OrdinalIgnoreCase))
                ?? after.LastOrDefault(f => f.Name.Equals("From", StringComparison.OrdinalIgnoreCase));
            var sender = senderField is null ? null : Address(senderField.Raw);
            var at = sender?.LastIndexOf('@') ?? -1;
            if (sender is null || at < 0)
            {
                return Signature.Unusable("no signed Sender or From address to identify the signer");
            }

            if (!WithinDomain(sender[(at + 1)..], domain))
            {
                return Signature.Unusable($"sender {sender} is not within d={domain}");
            }

            var data = DkimCanonicalization.DomainKeysData(canonicalization, after.Select(f => f.Raw), message.Body);
            return new Signature(null, algorithm, HashAlgorithmName.SHA1, domain, sender, null, null, Encoding.Latin1.GetBytes(data), signatureBytes);
        }
    }

    /// <summary>
    /// The fields a DomainKeys h= presents, in its order (RFC 4870 3.3: h= lists them "in the order presented to the
    /// signing algorithm", every occurrence of a listed name): fields are grouped by name in message order; a name listed
    /// n times takes its last n-1 occurrences one by one from the end and the rest at its first mention.
    /// </summary>
    private static List<HeaderField> DomainKeysOrder(List<HeaderField> fields, List<string> listed)
    {
        var byName = fields.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var mentions = listed.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var ordered = new List<HeaderField>();
        for (var n = listed.Count - 1; n >= 0; n--)
        {
            if (!byName.TryGetValue(listed[n], out var remaining) || remaining.Count == 0)
            {
                mentions[listed[n]]--;
                continue;
            }

            if (--mentions[listed[n]] > 0)
            {
                ordered.Insert(0, remaining[^1]);
                remaining.RemoveAt(remaining.Count - 1);
            }
            else
            {
                ordered.InsertRange(0, remaining);
                remaining.Clear();
            }
        }

        return ordered;
    }

    /// <summary>A signature ready to check: what was hashed and what was claimed.</summary>
    private sealed record Signature(string? Problem, string Algorithm, HashAlgorithmName HashName, string Domain, string Identity, byte[]? BodyHash, byte[]? BodyData, byte[]? HeaderData, byte[]? Claimed)
    {
        public static Signature Unusable(string problem) => new(problem, string.Empty, default, string.Empty, string.Empty, null, null, null, null);
    }

    /// <summary>A key record (RFC 6376 3.6.1) judged against the signature that names it, with its key material.</summary>
    private sealed class PublicKey : IDisposable
    {
        public string? Problem { get; private init; }

        public RSA? Rsa { get; private init; }

        private byte[]? Ed25519 { get; init; }

        public static PublicKey Parse(string record, Signature signature, string scheme)
        {
            var tags = ParseTags(record, out var syntax);
            if (tags is null)
            {
                return Refused("key record " + syntax);
            }

            if (tags.TryGetValue("v", out var version) && version != "DKIM1")
            {
                return Refused($"key record v={version} is not DKIM1");
            }

            var keyType = tags.GetValueOrDefault("k", "rsa").ToLowerInvariant();
            if (keyType is not ("rsa" or "ed25519"))
            {
                return Refused($"unsupported key type k={keyType}");
            }

            if (!signature.Algorithm.StartsWith(keyType + "-", StringComparison.Ordinal))
            {
                return Refused($"key type k={keyType} does not match a={signature.Algorithm}");
            }

            var hash = signature.Algorithm[(keyType.Length + 1)..];
            if (tags.TryGetValue("h", out var hashes) && !hashes.Split(':').Any(h => h.Trim().Equals(hash, StringComparison.OrdinalIgnoreCase)))
            {
                return Refused($"key accepts h={hashes}, not {hash}");
            }

            if (tags.TryGetValue("s", out var services) && !services.Split(':').Any(s => s.Trim() is "*" || s.Trim().Equals("email", StringComparison.OrdinalIgnoreCase)))
            {
                return Refused($"key is for service s={services}, not email");
            }

            var at = signature.Identity.LastIndexOf('@');
            var identityDomain = signature.Identity[(at + 1)..];
            var flags = tags.GetValueOrDefault("t", string.Empty).Split(':').Select(f => f.Trim());
            if (scheme == Dkim && flags.Contains("s") && !identityDomain.Equals(signature.Domain, StringComparison.OrdinalIgnoreCase))
            {
                return Refused("key requires i= in d= itself (t=s)");
            }

            // RFC 4871 g=: DomainKeys took an empty g= as "anyone"; DKIM as "no one".
            if (tags.TryGetValue("g", out var granularity) && !(scheme == DomainKeys && granularity.Length == 0) && !Granted(granularity, at > 0 ? signature.Identity[..at] : string.Empty))
            {
                return Refused($"key granularity g={granularity} does not cover the signer's local part");
            }

            if (!tags.TryGetValue("p", out var p))
            {
                return Refused("key record has no p= tag");
            }

            if (string.Concat(p.Where(c => !char.IsWhiteSpace(c))) is var material && material.Length == 0)
            {
                return Refused("key revoked (empty p=)");
            }

            if (!TryBase64(material, out var bytes))
            {
                return Refused("p= is not base64");
            }

            if (keyType == "ed25519")
            {
                return bytes.Length == 32 ? new PublicKey { Ed25519 = bytes } : Refused($"Ed25519 key of {bytes.Length} bytes (32 expected)");
            }

            return DkimKey.ImportRsa(bytes) is { } rsa ? new PublicKey { Rsa = rsa } : Refused("p= is not an RSA public key");
        }

        public bool Verifies(HashAlgorithmName hashName, byte[] headerData, byte[] signature)
        {
            var digest = Hash(hashName, headerData);
            if (Ed25519 is { } ed25519)
            {
                // RFC 8463: PureEdDSA over the SHA-256 hash of the header data.
                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(ed25519));
                verifier.BlockUpdate(digest, 0, digest.Length);
                return verifier.VerifySignature(signature);
            }

            try
            {
                return Rsa!.VerifyHash(digest, signature, hashName, RSASignaturePadding.Pkcs1);
            }
            catch (CryptographicException)
            {
                return false; // a signature of the wrong length for the key: it does not verify
            }
        }

        public void Dispose() => Rsa?.Dispose();

        private static PublicKey Refused(string problem) => new() { Problem = problem };
    }

#pragma warning disable CA5350 // verifying what others signed: rsa-sha1 is still in received mail, and Rfc8301 acceptance refuses it
    private static byte[] Hash(HashAlgorithmName name, byte[] data) =>
        name == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);
#pragma warning restore CA5350

    /// <summary>True when domain is parent itself or a subdomain of it (case-insensitive).</summary>
    private static bool WithinDomain(string domain, string parent) =>
        domain.Equals(parent, StringComparison.OrdinalIgnoreCase) || domain.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);

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

    /// <summary>The first address of a From or Sender field.</summary>
    private static string? Address(string raw)
    {
        var value = raw[(raw.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("\r\n", string.Empty, StringComparison.Ordinal);
        return InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null;
    }

    /// <summary>i= is dkim-quoted-printable (RFC 6376 2.11): "=40" is "@".</summary>
    private static string QuotedPrintable(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var n = 0; n < value.Length; n++)
        {
            if (value[n] == '=' && n + 2 < value.Length && byte.TryParse(value.AsSpan(n + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                text.Append((char)b);
                n += 2;
            }
            else if (!DkimCanonicalization.IsWsp(value[n]) && value[n] is not ('\r' or '\n'))
            {
                text.Append(value[n]);
            }
        }

        return text.ToString();
    }

    private static bool TryBase64(string value, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(string.Concat(value.Where(c => !char.IsWhiteSpace(c))));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
