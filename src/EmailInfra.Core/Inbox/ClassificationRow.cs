using MimeKit;

namespace EmailInfra.Core.Inbox;

/// <summary>One line of classifier output: one per failed recipient or complaint recipient, index 0 when the message gives no result.</summary>
public sealed record ClassificationRow(
    string File,
    int Index,
    string Kind,
    string Recipient,
    string Status,
    string ReplyCode,
    string Reason,
    bool HardBounce,
    string FeedbackType)
{
    /// <summary>
    /// Parses and classifies one file's bytes: one message, or an mbox (a file that starts with a "From " postmark) of
    /// several, whose rows are numbered on across its messages. A message that cannot be parsed gives a "malformed" row,
    /// never an exception.
    /// </summary>
    public static IReadOnlyList<ClassificationRow> For(string file, Stream content, BounceRules? rules = null)
    {
        if (!content.CanSeek)
        {
            var copy = new MemoryStream();
            content.CopyTo(copy);
            copy.Position = 0;
            content = copy;
        }

        var start = content.Position;
        Span<byte> postmark = stackalloc byte[5];
        var isMbox = content.ReadAtLeast(postmark, 5, throwOnEndOfStream: false) == 5 && postmark.SequenceEqual("From "u8);
        content.Position = start;

        var rows = new List<ClassificationRow>();
        // A seekable stream is parsed persistently: bodies are read from it when needed, not copied (faster by a third).
        // Each message is disposed once classified: MimeKit's entities have finalizers, and an undisposed one survives a
        // collection with everything it holds (classifying the corpus spent about half its time in the GC that way).
        var parser = new MimeParser(content, isMbox ? MimeFormat.Mbox : MimeFormat.Entity, persistent: true);
        do
        {
            MimeMessage message;
            try
            {
                message = parser.ParseMessage();
            }
            catch (Exception ex) when (MessageClassifier.IsUnreadableMessage(ex) || ex is IOException)
            {
                // a message that does not parse ends the file (the parser cannot be trusted to move on); what was read stands
                rows.AddRange(rows.Count == 0 ? For(file, new MalformedVerdict(ex.Message)) : []);
                break;
            }

            InboundVerdict verdict;
            using var parsed = message;
            try
            {
                verdict = MessageClassifier.Classify(parsed, rules);
            }
            catch (Exception ex) when (MessageClassifier.IsUnreadableMessage(ex) || ex is IOException)
            {
                verdict = new MalformedVerdict(ex.Message);
            }

            var offset = rows.Count(r => r.Index > 0);
            rows.AddRange(For(file, verdict).Where(r => r.Index > 0 || rows.Count == 0).Select(r => r.Index > 0 ? r with { Index = r.Index + offset } : r));
        }
        while (isMbox && !parser.IsEndOfStream);

        // a message with a result replaces the "no result" row an earlier message of the same file gave
        return rows.Any(r => r.Index > 0) ? rows.Where(r => r.Index > 0).ToList() : rows.Take(1).ToList();
    }

    public static IReadOnlyList<ClassificationRow> For(string file, InboundVerdict verdict) => verdict switch
    {
        BounceVerdict { Recipients.Count: > 0 } b => b.Recipients.Select((r, i) =>
            new ClassificationRow(file, i + 1, "bounce", r.Address, r.Status ?? string.Empty, r.ReplyCode ?? string.Empty, r.Reason, r.IsHard, string.Empty)).ToList(),
        ComplaintVerdict c => (c.Recipients.Count > 0 ? c.Recipients : [string.Empty]).Select((r, i) =>
            new ClassificationRow(file, i + 1, "complaint", r, string.Empty, string.Empty, "feedback", false, c.FeedbackType)).ToList(),
        AutoReplyVerdict => [new ClassificationRow(file, 1, "autoreply", string.Empty, string.Empty, string.Empty, "vacation", false, string.Empty)],
        OrdinaryVerdict { InReplyTo: not null } => [new ClassificationRow(file, 0, "reply", string.Empty, string.Empty, string.Empty, string.Empty, false, string.Empty)],
        MalformedVerdict => [new ClassificationRow(file, 0, "other", string.Empty, string.Empty, string.Empty, "malformed", false, string.Empty)],
        _ => [new ClassificationRow(file, 0, "other", string.Empty, string.Empty, string.Empty, string.Empty, false, string.Empty)],
    };
}
