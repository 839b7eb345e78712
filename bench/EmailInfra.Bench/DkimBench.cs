using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using EmailInfra.Core.Domains.Authentication;
using MimeKit;

/// <summary>The DKIM verification EmailInfra uses (MimeKit) against Mail::DKIM's corpus (../shared/corpora/dkim), keys from FAKE_DNS.dat.</summary>
internal static class DkimBench
{
    public static int Run(string corpora)
    {
        var root = Path.Combine(Path.GetFullPath(corpora), "dkim", "mail-dkim");
        var dns = new CorpusDns(Path.Combine(root, "FAKE_DNS.dat"));

        // The corpus signs with 512-bit test keys, which Mail::DKIM accepts; RFC 8301 receivers (and the default here) need 1024.
        var minimum = int.TryParse(Environment.GetEnvironmentVariable("BENCH_DKIM_MIN_BITS"), CultureInfo.InvariantCulture, out var bits) ? bits : 1024;
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
            var results = DkimVerification.VerifyAsync(MimeMessage.Load(Path.Combine(root, file)), dns, minimum, DateTimeOffset.UtcNow, default).GetAwaiter().GetResult();
            var got = Verdict(results);
            total++;
            if (got == expected)
            {
                agree++;
            }
            else
            {
                misses.Add($"{file}: expected {expected}, got {got}{(results.FirstOrDefault(r => r.Problem is not null)?.Problem is { } why ? " (" + why + ")" : "")}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DKIM verifier (RSA keys >= {minimum} bits) vs Mail::DKIM corpus: {agree}/{total} agree ({100.0 * agree / total:F1}%), {total / clock.Elapsed.TotalSeconds:F0} messages/s (Mail::DKIM 1.20230212: 74/77)"));
        foreach (var miss in Environment.GetEnvironmentVariable("BENCH_SHOW_MISSES") == "1" ? misses : [])
        {
            Console.WriteLine("  " + miss);
        }

        return 0;
    }

    /// <summary>Mail::DKIM's vocabulary: the best signature decides; a DNS error is "invalid" there.</summary>
    private static string Verdict(IReadOnlyList<DkimSignatureResult> results) =>
        DkimVerification.Best(results) is "temperror" ? "invalid" : DkimVerification.Best(results);

    /// <summary>FAKE_DNS.dat as DNS: "name TXT-value", "NXDOMAIN", or "~~text~~" for a DNS error.</summary>
    private sealed class CorpusDns : IDnsRecords
    {
        private readonly Dictionary<string, string> records = new(StringComparer.OrdinalIgnoreCase);

        public CorpusDns(string path)
        {
            foreach (var line in File.ReadLines(path))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (!line.StartsWith('#') && space > 0)
                {
                    records[line[..space]] = line[(space + 1)..].Trim();
                }
            }
        }

        public Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
            !records.TryGetValue(name, out var txt) || txt == "NXDOMAIN" ? Task.FromResult<IReadOnlyList<string>>([])
            : txt.StartsWith("~~", StringComparison.Ordinal) ? throw new DnsTimeoutException(name + ": " + txt)
            : Task.FromResult<IReadOnlyList<string>>([txt]);

        public Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IPAddress>>([]);

        public Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string name, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<(int, string)>>([]);

        public Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(records.ContainsKey(name));
    }
}
