using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;



/// <summary>MimeKit's DKIM verifier against Mail::DKIM's corpus (../shared/corpora/dkim), its keys served from FAKE_DNS.dat.</summary>
internal static class DkimBench
{
    public static int Run(string corpora)
    {
        var root = Path.Combine(Path.GetFullPath(corpora), "dkim", "mail-dkim");
        var keys = new CorpusKeys(Path.Combine(root, "FAKE_DNS.dat"));
        // The corpus signs with 512-bit test keys, which Mail::DKIM accepts; RFC 8301 receivers (and MimeKit's default) need 1024.
        var minimum = int.TryParse(Environment.GetEnvironmentVariable("BENCH_DKIM_MIN_BITS"), CultureInfo.InvariantCulture, out var bits) ? bits : 1024;
        var verifier = new DkimVerifier(keys) { MinimumRsaKeyLength = minimum };
        verifier.Enable(DkimSignatureAlgorithm.RsaSha1); // the corpus has rsa-sha1 signatures; receivers still verify them
        int agree = 0, total = 0;
        var misses = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var line in File.ReadLines(Path.Combine(root, "expected.jsonl")))
        {
            using var row = JsonDocument.Parse(line);
            if (row.RootElement.GetProperty("skipped_upstream").GetBoolean() || row.RootElement.GetProperty("strict").GetBoolean())
            {
                continue; // pre-standard drafts skipped upstream too, and the strict-mode rows of another driver
            }

            var file = row.RootElement.GetProperty("file").GetString()!;
            var expected = row.RootElement.GetProperty("expected").GetString()!;
            var got = Verify(verifier, Path.Combine(root, file));
            total++;
            if (got == expected)
            {
                agree++;
            }
            else
            {
                misses.Add($"{file}: expected {expected}, got {got}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DKIM verifier (RSA keys >= {minimum} bits) vs Mail::DKIM corpus: {agree}/{total} agree ({100.0 * agree / total:F1}%), {total / clock.Elapsed.TotalSeconds:F0} messages/s (Mail::DKIM 1.20230212: 74/77)"));
        foreach (var miss in Environment.GetEnvironmentVariable("BENCH_SHOW_MISSES") == "1" ? misses : misses.Take(0))
        {
            Console.WriteLine("  " + miss);
        }

        return 0;
    }

    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>pass: the first DKIM signature verifies; fail: it does not; invalid: it cannot be checked (no key, bad tag, DNS error).</summary>
    private static string Verify(DkimVerifier verifier, string path)
    {
        try
        {
            var message = MimeMessage.Load(path);
            var index = message.Headers.IndexOf(HeaderId.DkimSignature);
            if (index < 0)
            {
                return "invalid";
            }

            // signatures are computed over CRLF lines: format as SMTP does, not with the platform's LF
            return verifier.Verify(Crlf, message, message.Headers[index]) ? "pass" : "fail";
        }
        catch (Exception ex) when (ex is FormatException or ParseException or NotSupportedException or InvalidOperationException or ArgumentException or KeyNotFoundException or IOException)
        {
            return "invalid";
        }
    }

    private sealed class CorpusKeys : DkimPublicKeyLocatorBase
    {
        private readonly Dictionary<string, string> records = new(StringComparer.OrdinalIgnoreCase);

        public CorpusKeys(string path)
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith('#') || line.Trim().Length == 0)
                {
                    continue;
                }

                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0)
                {
                    records[line[..space]] = line[(space + 1)..].Trim();
                }
            }
        }

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            var name = $"{selector}._domainkey.{domain}";
            if (!records.TryGetValue(name, out var txt) || txt == "NXDOMAIN")
            {
                throw new KeyNotFoundException(name + ": NXDOMAIN");
            }

            if (txt.StartsWith("~~", StringComparison.Ordinal))
            {
                throw new IOException(name + ": DNS error " + txt);
            }

            return GetPublicKey(txt);
        }

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
