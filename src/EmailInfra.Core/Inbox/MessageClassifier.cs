using MimeKit;

namespace EmailInfra.Core.Inbox;

/// <summary>Decides what a received message is, from its headers first and its body only when needed.</summary>
public static class MessageClassifier
{
    /// <summary>Whether the headers alone can't settle the verdict (reports and mail from mailer daemons).</summary>
    public static bool NeedsBody(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var contentType = headers[HeaderId.ContentType] ?? string.Empty;
        if (contentType.Contains("multipart/report", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var from = headers[HeaderId.From] ?? string.Empty;
        return from.Contains("mailer-daemon", StringComparison.OrdinalIgnoreCase)
            || from.Contains("postmaster", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The verdict from headers only, for messages that don't need their body.</summary>
    public static InboundVerdict ClassifyHeaders(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Ordinary(headers);
    }

    public static InboundVerdict Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var report = FindDeliveryStatus(message.Body);
        if (report is not null)
        {
            return Bounce(message, report);
        }

        return Ordinary(message.Headers);
    }

    private static OrdinaryVerdict Ordinary(HeaderList headers)
    {
        var messageId = MessageIds.Parse(headers[HeaderId.MessageId]);
        var inReplyTo = MessageIds.Parse(headers[HeaderId.InReplyTo]);
        var references = MessageIds.ParseAll(headers[HeaderId.References]);
        return new OrdinaryVerdict(messageId, inReplyTo, references);
    }

    private static BounceVerdict Bounce(MimeMessage message, MessageDeliveryStatus report)
    {
        var recipients = new List<FailedRecipient>();
        string? perMessageMta = null;
        for (var i = 0; i < report.StatusGroups.Count; i++)
        {
            var group = report.StatusGroups[i];
            if (i == 0)
            {
                perMessageMta = StripType(group["Reporting-MTA"]);
                continue;
            }

            var address = StripType(group["Final-Recipient"]) ?? StripType(group["Original-Recipient"]);
            if (string.IsNullOrWhiteSpace(address))
            {
                continue;
            }

            recipients.Add(new FailedRecipient(
                address.Trim().Trim('<', '>').ToLowerInvariant(),
                group["Status"]?.Trim().Split(' ', '(')[0],
                group["Action"]?.Trim().ToLowerInvariant(),
                Unfold(group["Diagnostic-Code"]),
                StripType(group["Remote-MTA"]) ?? perMessageMta));
        }

        return new BounceVerdict(recipients, OriginalMessageId(message));
    }

    private static MessageDeliveryStatus? FindDeliveryStatus(MimeEntity? body)
    {
        // Depth-limited: hostile mail can nest multiparts thousands deep.
        return Find(body, 0);

        static MessageDeliveryStatus? Find(MimeEntity? entity, int depth)
        {
            if (entity is null || depth > 8)
            {
                return null;
            }

            if (entity is MessageDeliveryStatus status)
            {
                return status;
            }

            if (entity is Multipart multipart)
            {
                foreach (var part in multipart)
                {
                    if (Find(part, depth + 1) is { } found)
                    {
                        return found;
                    }
                }
            }

            return null;
        }
    }

    private static string? OriginalMessageId(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } original } && original.MessageId is { Length: > 0 } id)
            {
                return id;
            }

            if (part is TextPart text && text.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Text + "\r\n\r\n"));
                var headers = HeaderList.Load(stream);
                if (MessageIds.Parse(headers[HeaderId.MessageId]) is { } fromHeaders)
                {
                    return fromHeaders;
                }
            }
        }

        return null;
    }

    private static string? StripType(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? value[(semicolon + 1)..] : value).Trim();
    }

    private static string? Unfold(string? value) =>
        value is null ? null : string.Join(' ', value.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
