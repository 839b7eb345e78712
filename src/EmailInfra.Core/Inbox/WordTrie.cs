namespace EmailInfra.Core.Inbox;

/// <summary>
/// The rules' necessary words as a trie of case-folded characters: where the scan finds a word starting, one walk along
/// the text marks the patterns of every word that starts there, instead of comparing the text with each word that
/// shares its first character (the rules hold hundreds of phrases).
/// </summary>
internal sealed class WordTrie
{
    // node i: its children's characters (sorted), their node numbers, and the patterns of the words ending at it
    private readonly char[][] keys;
    private readonly int[][] next;
    private readonly int[][] marks;

    private WordTrie(char[][] keys, int[][] next, int[][] marks)
    {
        this.keys = keys;
        this.next = next;
        this.marks = marks;
    }

    public static WordTrie Of(IEnumerable<(string Word, int[] Patterns)> words)
    {
        var children = new List<SortedList<char, int>> { new() };
        var ends = new List<List<int>> { new() };
        foreach (var (word, patterns) in words)
        {
            var node = 0;
            foreach (var c in word)
            {
                var key = char.ToUpperInvariant(c);
                if (!children[node].TryGetValue(key, out var child))
                {
                    child = children.Count;
                    children[node].Add(key, child);
                    children.Add(new());
                    ends.Add(new());
                }

                node = child;
            }

            ends[node].AddRange(patterns);
        }

        return new WordTrie(
            children.Select(c => c.Keys.ToArray()).ToArray(),
            children.Select(c => c.Values.ToArray()).ToArray(),
            ends.Select(e => e.Distinct().ToArray()).ToArray());
    }

    /// <summary>Marks the patterns of every word that <paramref name="text"/> starts with.</summary>
    public void Mark(ReadOnlySpan<char> text, Span<bool> candidates)
    {
        var node = 0;
        foreach (var c in text)
        {
            var at = Array.BinarySearch(keys[node], char.ToUpperInvariant(c));
            if (at < 0)
            {
                return;
            }

            node = next[node][at];
            foreach (var pattern in marks[node])
            {
                candidates[pattern] = true;
            }
        }
    }
}
