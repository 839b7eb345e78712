using EmailInfra.Corpora;

namespace EmailInfra.Core.Tests.Domains;

/// <summary>
/// Mail::DKIM's verifier corpus (../shared/corpora/dkim): every row its own test suite runs, default rows with Legacy
/// acceptance and strict rows with RFC 8301 acceptance. The six rows upstream skips (five draft-00 signatures, one
/// DomainKeys case its test expects differently from what it does) are left out here too; the README counts them.
/// </summary>
public class DkimCorpusTests
{
    private static readonly Lazy<MailDkimCorpus> Corpus = new(() => MailDkimCorpus.Load(SharedCorpora.Path("dkim/mail-dkim")));

    public static TheoryData<string> Rows() => new(Corpus.Value.Rows.Where(r => !r.SkippedUpstream).Select(r => r.Id));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task MailDkimCorpus_AgreesWithMailDkim(string id)
    {
        var row = Corpus.Value.Rows.Single(r => r.Id == id);
        var (verdict, results) = await Corpus.Value.VerifyAsync(row);
        Assert.True(row.Expected == verdict, $"{id}: expected {row.Expected}, got {verdict}: {string.Join("; ", results.Select(r => $"{r.Scheme} d={r.Domain} s={r.Selector} {r.Result} {r.Problem}"))}");
    }

    [Fact]
    public void Corpus_HasTheRowsItsProvenanceCounts()
    {
        Assert.Equal(83, Corpus.Value.Rows.Count);
        Assert.Equal(77, Corpus.Value.Rows.Count(r => !r.SkippedUpstream));
    }

    [Fact]
    public async Task AlteringOneByteOfAPassingMessage_MakesItFail()
    {
        // A corpus message that passes, with one body character changed: the verifier must notice, for DKIM and DomainKeys alike.
        foreach (var file in new[] { "corpus/good_rfc4871_3.txt", "corpus/good_dk_gmail.txt", "corpus/goodkey_ed25519.txt" })
        {
            var row = Corpus.Value.Rows.First(r => r.File == file && !r.Strict);
            var bytes = Corpus.Value.Message(row);
            var body = IndexOfBody(bytes);
            var at = Array.FindIndex(bytes, body, b => char.IsAsciiLetter((char)b));
            bytes[at] = (byte)(bytes[at] == 'x' ? 'y' : 'x');
            Assert.Equal("fail", (await Corpus.Value.VerifyAsync(row, bytes)).Verdict);
        }
    }

    private static int IndexOfBody(byte[] bytes)
    {
        for (var n = 0; n + 3 < bytes.Length; n++)
        {
            if (bytes[n] == '\r' && bytes[n + 1] == '\n' && bytes[n + 2] == '\r' && bytes[n + 3] == '\n')
            {
                return n + 4;
            }
        }

        throw new InvalidOperationException("no body");
    }
}
