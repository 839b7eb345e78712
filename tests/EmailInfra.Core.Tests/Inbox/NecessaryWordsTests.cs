using EmailInfra.Core.Inbox;
using EmailInfra.Core.Tests.Domains;

namespace EmailInfra.Core.Tests.Inbox;

/// <summary>
/// The words a rule cannot match without, and the promise that skipping a rule whose words are absent never changes a
/// classification: checked against every line and window of the bounce corpus.
/// </summary>
public class NecessaryWordsTests
{
    [Theory]
    [InlineData("(?i)mailbox (is )?full", "mailbox ")]
    [InlineData("(?i)\\bvirus\\b.*(detected|found|infected)", "virus")]
    [InlineData("(?i)(does not|doesn't|do not) accept (any )?mail", " accept ")]
    [InlineData("(?i)(quota|over) exceeded", " exceeded")]
    [InlineData("(?i)(mailbox|quota)", "mailbox|quota")]
    [InlineData("(?i)too many recipients(?! (this|per) hour)", "too many recipients")]
    [InlineData("(?i)foo(?=bar)bar", "foobar")]
    [InlineData("[a-z]+@example\\.com", "@example.com")]
    [InlineData("\\bUBE\\b", "UBE")]
    [InlineData("(?i)x{2,}y", "x")]
    [InlineData("(?i)(mailbox|)full?", "ful")]
    [InlineData("(?<code>550) user", "550 user")]
    public void Of_FindsTheWordsEveryMatchContains(string pattern, string words) =>
        Assert.Equal(words.Split('|').Order(StringComparer.Ordinal), NecessaryWords.Of(pattern)!.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("(?i)(mailbox)?")] // may match nothing at all
    [InlineData("(?i)\\d+\\s*\\w+")]
    [InlineData("(?im)^full$")] // an option this reader does not follow
    [InlineData("(?i)(?s)full")]
    [InlineData("(?i)unbalanced(")]
    [InlineData("(?i)\\u00e9\u00e9")] // only ASCII words are promised (other letters fold in ways an ordinal comparison does not)
    public void Of_PromisesNothingWhenItCannotBeSure(string pattern) =>
        Assert.Null(NecessaryWords.Of(pattern));

    [Fact]
    public void SkippingRulesWithoutTheirWords_NeverChangesTheReason_OverTheBounceCorpus()
    {
        var rules = BounceRules.Default;
        var texts = new List<string>();
        foreach (var file in Directory.EnumerateFiles(SharedCorpora.Path("bounces/emails")))
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            texts.AddRange(text.Split('\n'));
            for (var at = 0; at < text.Length; at += 200)
            {
                texts.Add(text.Substring(at, Math.Min(400, text.Length - at)));
            }
        }

        // and characters a case-insensitive regex equates with ASCII letters (Kelvin sign, long s, Turkish i)
        texts.AddRange(["550 5.7.1 bloc\u212Aed", "550 mailbox is \u017Fuspended", "user un\u212Anown", "T\u0130MEOUT", "rate l\u0131mit exceeded"]);

        var differ = texts.Where(t => rules.FirstMatchingRule(t, useWords: true) != rules.FirstMatchingRule(t, useWords: false)).Take(5).ToList();
        Assert.True(texts.Count > 10_000, $"only {texts.Count} texts read");
        Assert.Empty(differ);
    }
}
