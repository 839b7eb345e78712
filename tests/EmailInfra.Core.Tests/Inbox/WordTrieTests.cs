using EmailInfra.Core.Inbox;

namespace EmailInfra.Core.Tests.Inbox;

public class WordTrieTests
{
    private static readonly WordTrie Trie = WordTrie.Of([("user unknown", [0]), ("user", [1, 3]), ("mailbox full", [2]), ("USER UNKNOWN IN", [4])]);

    [Theory]
    [InlineData("User Unknown here", new[] { 0, 1, 3 })] // every word the text starts with, however it is cased
    [InlineData("USERS", new[] { 1, 3 })] // a word that is a prefix of the text's word still counts: the regex decides
    [InlineData("user unknown in local table", new[] { 0, 1, 3, 4 })]
    [InlineData("use", new int[0])] // a text shorter than every word marks nothing
    [InlineData(" user", new int[0])] // only words starting at the text's first character
    [InlineData("mailbox ful", new int[0])]
    public void Mark_MarksThePatternsOfEveryWordTheTextStartsWith(string text, int[] marked)
    {
        var candidates = new bool[5];
        Trie.Mark(text, candidates);
        Assert.Equal(marked, Enumerable.Range(0, candidates.Length).Where(i => candidates[i]).ToArray());
    }
}
