using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Warmup;
using MimeKit;
using MimeKit.Text;

namespace EmailInfra.Core.Sending;

/// <summary>Turns a ledger row into a MIME message: headers, text and HTML parts.</summary>
public static class MessageComposer
{
    public static MimeMessage Compose(LedgerEntry entry, Mailbox sender, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(sender);
        if (entry.MessageId is null)
        {
            throw new InvalidOperationException("A ledger row gets its Message-ID when claimed, before it is composed.");
        }

        var senderName = DisplayNameOf(sender.Address);
        var message = new MimeMessage
        {
            Date = now,
            MessageId = entry.MessageId,
            Subject = SingleLine(entry.InReplyTo is null ? entry.Subject : "Re: " + entry.Subject),
        };
        message.From.Add(new MailboxAddress(senderName, sender.Address));
        message.To.Add(MailboxAddress.Parse(entry.Recipient));
        if (entry.InReplyTo is not null)
        {
            message.InReplyTo = entry.InReplyTo;
            message.References.Add(entry.InReplyTo);
        }

        var body = new BodyBuilder();
        if (entry.Content is { } content)
        {
            body.TextBody = content.TextBody;
            body.HtmlBody = content.HtmlBody ?? HtmlOf(content.TextBody);
            if (content.UnsubscribeUrl is { } url)
            {
                // RFC 8058 one-click unsubscribe; the URL was checked (absolute https) when the send was planned.
                message.Headers.Add("List-Unsubscribe", "<" + SingleLine(url) + ">");
                message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
        }
        else
        {
            var text = WarmupContent.For(entry.Key.SendId, senderName).Text;
            body.TextBody = text;
            body.HtmlBody = HtmlOf(text);
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A new Message-ID on the sender's own domain, as receivers expect for aligned mail.</summary>
    public static string NewMessageId(string senderAddress) => MimeKit.Utils.MimeUtils.GenerateMessageId(EmailAddress.DomainOf(senderAddress));

    private static string HtmlOf(string text) =>
        "<html><body>" + string.Concat(
            text.Split("\r\n\r\n").Select(p => "<p>" + HtmlUtils.HtmlEncode(p).Replace("\r\n", "<br>", StringComparison.Ordinal) + "</p>")) + "</body></html>";

    private static string DisplayNameOf(string address)
    {
        var local = address.Split('@')[0].Split('.', '_', '-')[0];
        return local.Length == 0 ? address : char.ToUpperInvariant(local[0]) + local[1..];
    }

    // Header values must not carry line breaks: a CR or LF would let a field inject headers.
    private static string SingleLine(string value) =>
        new(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
