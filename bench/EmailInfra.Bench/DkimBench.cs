using System.Diagnostics;
using System.Globalization;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Corpora;

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

        // Speed: the whole corpus verified over and over for three seconds.
        var clock = Stopwatch.StartNew();
        var verified = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (var message in messages.Values)
            {
                DkimVerification.VerifyAsync(message, corpus.Dns, DkimAcceptance.Legacy, DateTimeOffset.UtcNow, default).GetAwaiter().GetResult();
                verified++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DKIM verifier speed: {verified / clock.Elapsed.TotalSeconds:F0} messages/s (Mail::DKIM 1.20230212 agrees with 74/77 default rows)"));
        return 0;
    }
}
