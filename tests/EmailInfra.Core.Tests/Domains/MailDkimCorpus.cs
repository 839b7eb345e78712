using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmailInfra.Core.Domains.Authentication;

namespace EmailInfra.Corpora;

/// <summary>
/// Mail::DKIM's verifier corpus as ../shared/corpora/dkim/mail-dkim holds it: the expected rows and FAKE_DNS.dat as DNS.
/// Compiled into the Core tests and the benchmark, which measure the same thing two ways.
/// </summary>
internal sealed class MailDkimCorpus
{
    private MailDkimCorpus(string root, IReadOnlyList<Row> rows, IDnsRecords dns)
    {
        Root = root;
        Rows = rows;
        Dns = dns;
    }

    public string Root { get; }

    public IReadOnlyList<Row> Rows { get; }

    public IDnsRecords Dns { get; }

    public static MailDkimCorpus Load(string root) =>
        new(root, File.ReadLines(Path.Combine(root, "expected.jsonl")).Select(line => JsonSerializer.Deserialize<Row>(line)!).ToList(), new FakeDns(Path.Combine(root, "FAKE_DNS.dat")));

    public byte[] Message(Row row) => File.ReadAllBytes(Path.Combine(Root, row.File));

    /// <summary>
    /// Mail::DKIM's result for a message: the best signature decides, a DNS error counts as "invalid"; its Strict mode
    /// (no sha1, RSA keys of 1024 bits or more) is EmailInfra's RFC 8301 acceptance, its default the Legacy one.
    /// </summary>
    public async Task<(string Verdict, IReadOnlyList<DkimSignatureResult> Results)> VerifyAsync(Row row, byte[]? message = null)
    {
        var results = await DkimVerification.VerifyAsync(message ?? Message(row), Dns, row.Strict ? DkimAcceptance.Rfc8301 : DkimAcceptance.Legacy, DateTimeOffset.UtcNow, default);
        var best = DkimVerification.Best(results);
        return (best == "temperror" ? "invalid" : best, results);
    }

    /// <summary>One expectation: file, Mail::DKIM's result, whether in strict mode, and whether upstream skips it.</summary>
    internal sealed record Row(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("expected")] string Expected,
        [property: JsonPropertyName("strict")] bool Strict,
        [property: JsonPropertyName("skipped_upstream")] bool SkippedUpstream)
    {
        public string Id => (Strict ? "strict:" : string.Empty) + System.IO.Path.GetFileName(File);
    }

    /// <summary>FAKE_DNS.dat as DNS: "name TXT-value", "NXDOMAIN", or "~~text~~" for a DNS error.</summary>
    private sealed class FakeDns : IDnsRecords
    {
        private readonly Dictionary<string, string> records = new(StringComparer.OrdinalIgnoreCase);

        public FakeDns(string path)
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
            : txt.StartsWith("~~", StringComparison.Ordinal) ? throw new DnsTimeoutException(name + ": " + txt.Trim('~'))
            : Task.FromResult<IReadOnlyList<string>>([txt == "\"\"" ? string.Empty : txt]);

        public Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IPAddress>>([]);

        public Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string name, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<(int, string)>>([]);

        public Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(records.ContainsKey(name));
    }
}
