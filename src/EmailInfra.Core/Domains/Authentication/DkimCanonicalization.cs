using System.Text;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>
/// A message as its signer hashed it: header fields byte for byte, then the body, in CRLF lines. Bytes are held as
/// Latin-1 characters (one char per byte) so canonicalization works on text without re-encoding anything.
/// </summary>
internal sealed class SignedMessage
{
    private SignedMessage(IReadOnlyList<HeaderField> fields, string body)
    {
        Fields = fields;
        Body = body;
    }

    /// <summary>The header fields in order, each with its name and raw text (folded lines and final CRLF included).</summary>
    public IReadOnlyList<HeaderField> Fields { get; }

    /// <summary>Everything after the empty line that ends the header.</summary>
    public string Body { get; }

    public static SignedMessage Parse(ReadOnlySpan<byte> bytes)
    {
        var text = CrlfLines(Encoding.Latin1.GetString(bytes));
        var fields = new List<HeaderField>();
        var position = 0;
        while (position < text.Length)
        {
            if (string.CompareOrdinal(text, position, "\r\n", 0, 2) == 0)
            {
                position += 2; // the empty line between header and body
                break;
            }

            var end = position;
            while (true)
            {
                var newline = text.IndexOf("\r\n", end, StringComparison.Ordinal);
                if (newline < 0)
                {
                    end = text.Length;
                    break;
                }

                end = newline + 2;
                if (end >= text.Length || (text[end] != ' ' && text[end] != '\t'))
                {
                    break;
                }
            }

            var raw = text[position..end];
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            fields.Add(new HeaderField(colon > 0 ? raw[..colon].TrimEnd(' ', '\t') : raw.TrimEnd(), raw));
            position = end;
        }

        return new SignedMessage(fields, position < text.Length ? text[position..] : string.Empty);
    }

    /// <summary>Bare LF line ends (mail stored by Unix tools) become CRLF, as they were on the wire.</summary>
    private static string CrlfLines(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal) || !HasBareLf(text))
        {
            return text;
        }

        var crlf = new StringBuilder(text.Length + 64);
        for (var n = 0; n < text.Length; n++)
        {
            if (text[n] == '\n' && (n == 0 || text[n - 1] != '\r'))
            {
                crlf.Append('\r');
            }

            crlf.Append(text[n]);
        }

        return crlf.ToString();
    }

    private static bool HasBareLf(string text)
    {
        for (var n = text.IndexOf('\n', StringComparison.Ordinal); n >= 0; n = text.IndexOf('\n', n + 1))
        {
            if (n == 0 || text[n - 1] != '\r')
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One header field: its name (as written, without trailing whitespace) and its raw text.</summary>
internal sealed record HeaderField(string Name, string Raw);

/// <summary>The canonicalization algorithms of DKIM (RFC 6376 3.4: simple, relaxed) and DomainKeys (RFC 4870 3.4.2: simple, nofws).</summary>
internal static class DkimCanonicalization
{
    public static bool IsWsp(char c) => c is ' ' or '\t';

    /// <summary>A header field for a DKIM hash: unchanged (simple), or name lower-cased, unfolded, whitespace runs to one space, trimmed (relaxed).</summary>
    public static string Header(string algorithm, string raw)
    {
        if (algorithm == "simple")
        {
            return raw;
        }

        var colon = raw.IndexOf(':', StringComparison.Ordinal);
        var name = (colon > 0 ? raw[..colon] : raw).TrimEnd(' ', '\t').ToLowerInvariant();
        var value = colon > 0 ? raw[(colon + 1)..] : string.Empty;

        // Unfolding removes the line breaks; the whitespace they leave is collapsed with the rest, none kept at either end.
        var unfolded = value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        return name + ":" + ReduceWhitespace(unfolded).TrimStart(' ') + "\r\n";
    }

    /// <summary>The body for a DKIM body hash: trailing empty lines removed and exactly one CRLF at the end (simple), whitespace also reduced (relaxed).</summary>
    public static string Body(string algorithm, string body)
    {
        if (algorithm == "simple")
        {
            var end = body.Length;
            while (end >= 2 && body[end - 1] == '\n' && body[end - 2] == '\r')
            {
                end -= 2;
            }

            return body[..end] + "\r\n";
        }

        return AppendLines(new StringBuilder(body.Length), body, ReduceWhitespace, heldEmptyLines: 0).ToString();
    }

    /// <summary>What a DomainKeys signature hashed: the chosen header lines, the empty separator line and the body, each canonicalized, trailing empty lines dropped.</summary>
    public static string DomainKeysData(string algorithm, IEnumerable<string> headers, string body)
    {
        var text = new StringBuilder(body.Length + 1024);
        foreach (var header in headers)
        {
            text.Append(algorithm == "nofws" ? StripWhitespace(header) + "\r\n" : header);
        }

        // The separator counts as a body line: like trailing empty lines, it is emitted only when a non-empty line follows.
        return AppendLines(text, body, algorithm == "nofws" ? StripWhitespace : line => line, heldEmptyLines: 1).ToString();
    }

    /// <summary>The body's lines, each canonicalized and CRLF-ended; empty ones are held back until a non-empty line follows, so trailing ones vanish.</summary>
    private static StringBuilder AppendLines(StringBuilder text, string body, Func<string, string> canonical, int heldEmptyLines)
    {
        foreach (var line in Lines(body))
        {
            var written = canonical(line);
            if (written.Length == 0)
            {
                heldEmptyLines++;
                continue;
            }

            for (; heldEmptyLines > 0; heldEmptyLines--)
            {
                text.Append("\r\n");
            }

            text.Append(written).Append("\r\n");
        }

        return text;
    }

    /// <summary>A DKIM-Signature field as it enters its own hash: the b= value (with its surrounding whitespace) emptied, the final CRLF dropped.</summary>
    public static string WithoutSignatureData(string raw)
    {
        var field = raw.EndsWith("\r\n", StringComparison.Ordinal) ? raw[..^2] : raw;
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        var text = new StringBuilder(field.Length).Append(field, 0, colon + 1);
        var start = colon + 1;
        while (true)
        {
            var semicolon = field.IndexOf(';', start);
            var end = semicolon < 0 ? field.Length : semicolon;
            var equals = field.IndexOf('=', start, end - start);
            if (equals > 0 && field[start..equals].Trim(' ', '\t', '\r', '\n') == "b")
            {
                text.Append(field, start, equals + 1 - start);
            }
            else
            {
                text.Append(field, start, end - start);
            }

            if (semicolon < 0)
            {
                return text.ToString();
            }

            text.Append(';');
            start = semicolon + 1;
        }
    }

    /// <summary>The body's lines without their CRLF; a last line without CRLF counts as a line.</summary>
    private static IEnumerable<string> Lines(string body)
    {
        var start = 0;
        while (start < body.Length)
        {
            var newline = body.IndexOf("\r\n", start, StringComparison.Ordinal);
            if (newline < 0)
            {
                yield return body[start..];
                yield break;
            }

            yield return body[start..newline];
            start = newline + 2;
        }
    }

    private static string ReduceWhitespace(string line)
    {
        var text = new StringBuilder(line.Length);
        var pendingSpace = false;
        foreach (var c in line)
        {
            if (IsWsp(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(c);
        }

        return text.ToString(); // trailing whitespace never emitted
    }

    private static string StripWhitespace(string text) =>
        string.Create(text.Length - text.Count(c => c is ' ' or '\t' or '\r' or '\n'), text, static (span, source) =>
        {
            var n = 0;
            foreach (var c in source)
            {
                if (c is not (' ' or '\t' or '\r' or '\n'))
                {
                    span[n++] = c;
                }
            }
        });
}
