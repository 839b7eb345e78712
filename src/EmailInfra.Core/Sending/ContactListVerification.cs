using System.Text;

namespace EmailInfra.Core.Sending;

/// <summary>Counts from checking a contact list.</summary>
public sealed record VerificationSummary(int Checked, int Valid, int Invalid, IReadOnlyDictionary<string, int> ByReason);

/// <summary>
/// Checks a CSV contact list the way the send path checks a recipient (syntax, domain takes mail, not suppressed) and
/// writes the rows that fail, with a reason column. It never opens an SMTP session to a recipient's server.
/// </summary>
public static class ContactListVerification
{
    private static readonly string[] AddressColumns = ["email", "e-mail", "email address", "address", "mail"];

    public static async Task<VerificationSummary> RunAsync(RecipientCheck check, string inputPath, string outputPath, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(inputPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        await using var writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(false));
        return await RunAsync(check, reader, writer, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<VerificationSummary> RunAsync(RecipientCheck check, TextReader input, TextWriter invalidRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(invalidRows);
        var rows = Csv.Read(input).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new InvalidRequestException("file", "is empty: a header row is expected");
        }

        var header = rows.Current;
        var column = Array.FindIndex(header, h => AddressColumns.Contains(h.Trim().ToLowerInvariant()));
        column = column < 0 ? 0 : column;
        await invalidRows.WriteLineAsync(Csv.Line([.. header, "reason"])).ConfigureAwait(false);
        var byReason = new Dictionary<string, int>(StringComparer.Ordinal);
        int total = 0, valid = 0;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            total++;
            var address = column < row.Length ? row[column].Trim() : string.Empty;
            string? reason;
            try
            {
                var verdict = await check.CheckAsync(address, checkSuppression: true, cancellationToken).ConfigureAwait(false);
                reason = verdict.Valid ? null : verdict.Reason;
            }
            catch (TimeoutException)
            {
                reason = "not verified: DNS did not answer";
            }

            if (reason is null)
            {
                valid++;
                continue;
            }

            // one bucket per kind of reason, not per domain
            var bucket = reason.StartsWith("domain ", StringComparison.Ordinal) ? "domain " + reason[(reason.IndexOf(' ', 7) + 1)..] : reason;
            byReason[bucket] = byReason.GetValueOrDefault(bucket) + 1;
            await invalidRows.WriteLineAsync(Csv.Line([.. row, reason])).ConfigureAwait(false);
        }

        return new VerificationSummary(total, valid, total - valid, byReason);
    }

    /// <summary>RFC 4180 CSV: quoted fields, doubled quotes, separators and line breaks inside quotes.</summary>
    internal static class Csv
    {
        public static IEnumerable<string[]> Read(TextReader reader)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var any = false;
            int c;
            while ((c = reader.Read()) >= 0)
            {
                any = true;
                var ch = (char)c;
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            field.Append('"');
                            reader.Read();
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        field.Append(ch);
                    }

                    continue;
                }

                switch (ch)
                {
                    case '"' when field.Length == 0:
                        quoted = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        break;
                    case '\r':
                        break;
                    case '\n':
                        fields.Add(field.ToString());
                        field.Clear();
                        yield return fields.ToArray();
                        fields.Clear();
                        any = false;
                        break;
                    default:
                        field.Append(ch);
                        break;
                }
            }

            if (any)
            {
                fields.Add(field.ToString());
                yield return fields.ToArray();
            }
        }

        public static string Line(IEnumerable<string> fields) =>
            string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
    }
}
