using System.Diagnostics;
using System.Globalization;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Corpora;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

/// <summary>EmailInfra's DKIM/DomainKeys verifier against Mail::DKIM's corpus (../shared/corpora/dkim), keys from FAKE_DNS.dat.</summary>
internal static class DkimBench
{
    public static int Run(string corpora)
    {
        var corpus = MailDkimCorpus.Load(Path.Combine(Path.GetFullPath(corpora), "dkim", "mail-dkim"));
        var messages = corpus.Rows.Select(r => r.File).Distinct().ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(corpus.Root, f)));
        var all = Environment.GetEnvironmentVariable("BENCH_DKIM_ALL") == "1";
        foreach (var (label, strict) in new[] { ("default rows, Legacy acceptance", false), ("strict rows, RFC 8301 acceptance", true) })
        {
            int agree = 0, total = 0;
            var misses = new List<string>();
            foreach (var row in corpus.Rows.Where(r => r.Strict == strict && (all || !r.SkippedUpstream)))
            {
                var (got, results) = corpus.VerifyAsync(row, messages[row.File]).GetAwaiter().GetResult();
                total++;
                if (got == row.Expected)
                {
                    agree++;
                }
                else
                {
                    misses.Add($"{row.File}: expected {row.Expected}, got {got}{(results.FirstOrDefault(r => r.Problem is not null)?.Problem is { } why ? " (" + why + ")" : "")}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DKIM verifier vs Mail::DKIM corpus, {label}{(all ? ", upstream-skipped rows included" : "")}: {agree}/{total} agree ({100.0 * agree / total:F1}%)"));
            foreach (var miss in Environment.GetEnvironmentVariable("BENCH_SHOW_MISSES") == "1" ? misses : [])
            {
                Console.WriteLine("  " + miss);
            }
        }

        // Speed, with MimeKit's DkimVerifier as the baseline in the same run: the RFC 6376 messages both can read,
        // each verifier over them for three seconds.
        var rfc6376 = messages.Values.Select(m => (Bytes: m, Message: MimeMessage.Load(new MemoryStream(m))))
            .Where(m => m.Message.Headers.IndexOf(HeaderId.DkimSignature) >= 0 && m.Message.Headers[HeaderId.DkimSignature]?.Contains("v=1", StringComparison.Ordinal) == true).ToList();
        var mimeKit = new DkimVerifier(new CorpusKeys(corpus.Dns)) { MinimumRsaKeyLength = 512 };
        mimeKit.Enable(DkimSignatureAlgorithm.RsaSha1);
        var theirs = Rate(() =>
        {
            foreach (var (_, message) in rfc6376)
            {
                try
                {
                    mimeKit.Verify(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]);
                }
                catch (Exception ex) when (ex is FormatException or ParseException or NotSupportedException or ArgumentException or InvalidOperationException or DnsTimeoutException)
                {
                    // refused signatures cost their parse too
                }
            }

            return rfc6376.Count;
        });
        var ours = Rate(() =>
        {
            foreach (var (bytes, _) in rfc6376)
            {
                DkimVerification.VerifyAsync(bytes, corpus.Dns, DkimAcceptance.Legacy, DateTimeOffset.UtcNow, default).GetAwaiter().GetResult();
            }

            return rfc6376.Count;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DKIM verifier speed over {rfc6376.Count} RFC 6376 messages: {ours:F0} messages/s; MimeKit's DkimVerifier (baseline, same run) {theirs:F0}/s; ratio {ours / theirs:F2}"));
        return 0;
    }

    private static double Rate(Func<int> pass)
    {
        pass(); // warm-up
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            done += pass();
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>MimeKit's key locator over the corpus's DNS.</summary>
    private sealed class CorpusKeys(IDnsRecords dns) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            dns.TxtAsync($"{selector}._domainkey.{domain}", cancellationToken).GetAwaiter().GetResult() is { Count: > 0 } records
                ? GetPublicKey(records[0])
                : throw new ParseException("no key", 0, 0);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
