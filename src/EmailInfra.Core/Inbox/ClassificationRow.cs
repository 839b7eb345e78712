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
    /// <summary>Parses and classifies one message file's bytes; a message that cannot be parsed gives a "malformed" row, never an exception.</summary>
    public static IReadOnlyList<ClassificationRow> For(string file, Stream content, BounceRules? rules = null)
    {
        InboundVerdict verdict;
        try
        {
            // A seekable stream is parsed persistently: bodies are read from it when needed, not copied (faster by a third).
            verdict = MessageClassifier.Classify(MimeMessage.Load(content, persistent: content.CanSeek), rules);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or InvalidOperationException or IOException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            verdict = new MalformedVerdict(ex.Message);
        }

        return For(file, verdict);
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
