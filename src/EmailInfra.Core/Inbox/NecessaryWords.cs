using System.Text;

namespace EmailInfra.Core.Inbox;

/// <summary>
/// The words a bounce-rule pattern cannot match without: a set of ASCII strings of which every match contains at least
/// one (compared ignoring case), or null when the pattern promises none. Lets the classifier skip a rule's regex for a
/// text that holds none of its words. Derived from the pattern itself; any construct this reader does not know makes
/// the answer null, so a pattern is never skipped wrongly, only run when it need not be.
/// </summary>
internal static class NecessaryWords
{
    public static IReadOnlySet<string>? Of(string pattern)
    {
        var reader = new Reader(pattern);
        if (pattern.StartsWith("(?i)", StringComparison.Ordinal))
        {
            reader.Position = 4;
        }

        var piece = reader.Alternation();
        return reader.Failed || reader.Position != pattern.Length ? null : piece.Words();
    }

    /// <summary>What a part of a pattern matches: exactly one string (Exact, possibly empty for zero-width parts), or text containing one of Need.</summary>
    private readonly record struct Piece(string? Exact, HashSet<string>? Need)
    {
        public static readonly Piece Unknown = new(null, null);

        public static readonly Piece Empty = new(string.Empty, null);

        public HashSet<string>? Words() => Exact is { Length: > 0 } ? new HashSet<string>([Exact], StringComparer.OrdinalIgnoreCase) : Need;
    }

    private sealed class Reader(string pattern)
    {
        public int Position;

        public bool Failed;

        private bool AtEnd => Position >= pattern.Length;

        public Piece Alternation()
        {
            var alternatives = new List<Piece> { Sequence() };
            while (!Failed && !AtEnd && pattern[Position] == '|')
            {
                Position++;
                alternatives.Add(Sequence());
            }

            if (alternatives.Count == 1)
            {
                return alternatives[0];
            }

            // every alternative must promise a word; the alternation promises one of them
            var union = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var alternative in alternatives)
            {
                if (alternative.Words() is not { } words)
                {
                    return Piece.Unknown;
                }

                union.UnionWith(words);
            }

            return new Piece(null, union);
        }

        private Piece Sequence()
        {
            var run = new StringBuilder();
            var exact = new StringBuilder();
            var allExact = true;
            var candidates = new List<HashSet<string>>();
            void Flush()
            {
                if (run.Length > 0)
                {
                    candidates.Add(new HashSet<string>([run.ToString()], StringComparer.OrdinalIgnoreCase));
                    run.Clear();
                }
            }

            while (!Failed && !AtEnd && pattern[Position] is not ('|' or ')'))
            {
                var piece = Quantified(Atom());
                if (piece.Exact is { } text)
                {
                    run.Append(text);
                    exact.Append(text);
                    continue;
                }

                allExact = false;
                Flush();
                if (piece.Need is { } need)
                {
                    candidates.Add(need);
                }
            }

            Flush();
            if (allExact)
            {
                return new Piece(exact.ToString(), null);
            }

            // any one necessary part will do: the one whose shortest word is longest filters best
            return candidates.Count == 0 ? Piece.Unknown : new Piece(null, candidates.MaxBy(c => c.Min(w => w.Length)));
        }

        private Piece Quantified(Piece atom)
        {
            if (AtEnd)
            {
                return atom;
            }

            int minimum;
            switch (pattern[Position])
            {
                case '?' or '*':
                    minimum = 0;
                    Position++;
                    break;
                case '+':
                    minimum = 1;
                    Position++;
                    break;
                case '{' when Bounds() is { } bounds:
                    minimum = bounds;
                    break;
                default:
                    return atom;
            }

            if (!AtEnd && pattern[Position] == '?')
            {
                Position++; // lazy: the same texts match
            }

            return minimum == 0 ? Piece.Unknown : new Piece(null, atom.Words());
        }

        /// <summary>"{n}", "{n,}" or "{n,m}" at the position: its minimum, the position moved past it; null (position kept) when it is a literal brace.</summary>
        private int? Bounds()
        {
            var close = pattern.IndexOf('}', Position);
            if (close < 0)
            {
                return null;
            }

            var inside = pattern[(Position + 1)..close];
            var comma = inside.IndexOf(',', StringComparison.Ordinal);
            var first = comma < 0 ? inside : inside[..comma];
            if (first.Length == 0 || !first.All(char.IsAsciiDigit) || (comma >= 0 && !inside[(comma + 1)..].All(char.IsAsciiDigit)))
            {
                return null;
            }

            Position = close + 1;
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }

        private Piece Atom()
        {
            var c = pattern[Position++];
            switch (c)
            {
                case '(':
                    return Group();
                case '[':
                    SkipClass();
                    return Piece.Unknown;
                case '.':
                    return Piece.Unknown;
                case '^' or '$':
                    return Piece.Empty;
                case '\\':
                    return Escape();
                case '*' or '+' or '?':
                    Failed = true; // a quantifier with nothing before it
                    return Piece.Unknown;
                default:
                    return Literal(c);
            }
        }

        // Only ASCII words are promised: other characters have case equivalents the ordinal comparison would not see.
        private static Piece Literal(char c) => char.IsAscii(c) && c != '\r' && c != '\n' ? new Piece(c.ToString(), null) : Piece.Unknown;

        private Piece Escape()
        {
            if (AtEnd)
            {
                Failed = true;
                return Piece.Unknown;
            }

            var c = pattern[Position++];
            switch (c)
            {
                case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                    return Piece.Empty;
                case 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'n' or 'r' or 't' or 'f' or 'v' or 'e' or 'a':
                    return Piece.Unknown; // one character of a class
                case var _ when char.IsAsciiLetterOrDigit(c):
                    Failed = true; // \u00e9, \x41, \p{L}, back-references: escapes with arguments are not read here
                    return Piece.Unknown;
                default:
                    return Literal(c);
            }
        }

        private Piece Group()
        {
            var lookaround = false;
            if (!AtEnd && pattern[Position] == '?')
            {
                var rest = pattern.AsSpan(Position);
                if (rest.StartsWith("?:"))
                {
                    Position += 2;
                }
                else if (rest.StartsWith("?=") || rest.StartsWith("?!"))
                {
                    Position += 2;
                    lookaround = true;
                }
                else if (rest.StartsWith("?<=") || rest.StartsWith("?<!"))
                {
                    Position += 3;
                    lookaround = true;
                }
                else if (rest.StartsWith("?<") && rest.IndexOf('>') is > 2 and var end && rest[2..end].ToString().All(char.IsAsciiLetterOrDigit))
                {
                    Position += end + 1; // a named group
                }
                else
                {
                    Failed = true; // inline options and other constructs change what literals mean
                    return Piece.Unknown;
                }
            }

            var inner = Alternation();
            if (AtEnd || pattern[Position] != ')')
            {
                Failed = true;
                return Piece.Unknown;
            }

            Position++;
            // a lookaround consumes nothing: the text on either side of it is contiguous
            return lookaround ? Piece.Empty : inner;
        }

        private void SkipClass()
        {
            if (!AtEnd && pattern[Position] == '^')
            {
                Position++;
            }

            if (!AtEnd && pattern[Position] == ']')
            {
                Position++; // a leading ']' is a member
            }

            while (!AtEnd && pattern[Position] != ']')
            {
                Position += pattern[Position] == '\\' ? 2 : 1;
            }

            if (AtEnd)
            {
                Failed = true;
                return;
            }

            Position++;
        }
    }
}
