using MimeKit;

namespace EmailInfra.Testing;

/// <summary>Reports as providers send them, for placing into rig mailboxes.</summary>
public static class ReportSamples
{
    /// <summary>An ARF feedback report (RFC 5965) about one of our messages.</summary>
    public static MimeMessage Arf(string reportTo, string complainer, string originalMessageId, string feedbackType = "abuse")
    {
        var original = new MimeMessage { MessageId = originalMessageId, Subject = "the reported message" };
        original.From.Add(MailboxAddress.Parse(reportTo));
        original.To.Add(MailboxAddress.Parse(complainer));
        original.Body = new TextPart("plain") { Text = "..." };

        var fields = new MessageFeedbackReport();
        fields.Fields.Add("Feedback-Type", feedbackType);
        fields.Fields.Add("User-Agent", "RigFeedbackLoop/1.0");
        fields.Fields.Add("Version", "1");
        fields.Fields.Add("Original-Mail-From", $"<{reportTo}>");
        fields.Fields.Add("Original-Rcpt-To", $"<{complainer}>");

        var report = new MultipartReport("feedback-report")
        {
            new TextPart("plain") { Text = "This is an email abuse report." },
            fields,
            new MessagePart { Message = original },
        };
        var message = new MimeMessage { Subject = "Abuse report", MessageId = $"arf.{Guid.NewGuid():N}@feedback.example", Body = report };
        message.From.Add(MailboxAddress.Parse("feedback@feedback.example"));
        message.To.Add(MailboxAddress.Parse(reportTo));
        return message;
    }
}
