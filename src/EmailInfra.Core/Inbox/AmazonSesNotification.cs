using System.Text.Json;

namespace EmailInfra.Core.Inbox;

/// <summary>
/// Amazon SES's own notices (bounce, complaint, delivery), mailed as JSON — raw or inside an SNS envelope — rather than
/// as a DSN or an ARF report. Read into the same verdicts the standard formats give.
/// </summary>
internal static class AmazonSesNotification
{
    /// <summary>The verdict of a body that holds an SES notification, or null when it holds none.</summary>
    public static InboundVerdict? Read(string body, BounceRules rules)
    {
        if (!body.Contains("notificationType", StringComparison.Ordinal))
        {
            return null;
        }

        // Sendmail splits lines over 990 characters with "!", newline, space: undone before the JSON is read.
        var json = FirstObject(body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("!\n ", string.Empty, StringComparison.Ordinal));
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("Message", out var wrapped) && wrapped.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(wrapped.GetString()!); // the SNS envelope carries the notice as a string
                return Notice(inner.RootElement, rules);
            }

            return Notice(root, rules);
        }
        catch (JsonException)
        {
            return null; // not JSON after all: the other readers decide
        }
    }

    private static InboundVerdict? Notice(JsonElement notice, BounceRules rules)
    {
        if (notice.ValueKind != JsonValueKind.Object || !notice.TryGetProperty("notificationType", out var type))
        {
            return null;
        }

        var messageId = notice.TryGetProperty("mail", out var mail) && mail.TryGetProperty("commonHeaders", out var common)
            && common.TryGetProperty("messageId", out var id) ? MessageIds.Parse(id.GetString()) : null;
        switch (type.GetString())
        {
            case "Bounce" when notice.TryGetProperty("bounce", out var bounce):
                var permanent = bounce.TryGetProperty("bounceType", out var kind) && kind.GetString() == "Permanent";
                var reportingMta = MessageClassifier.StripType(Text(bounce, "reportingMTA"));
                var failed = Array(bounce, "bouncedRecipients").Select(r =>
                {
                    var address = (Text(r, "emailAddress") ?? string.Empty).ToLowerInvariant();
                    var diagnostic = MessageClassifier.StripType(Text(r, "diagnosticCode"));
                    var status = Text(r, "status") ?? (permanent ? "5.0.0" : "4.0.0");
                    // a provider's own table first, as for any bounce (SES names the recipient's server only in the words)
                    var reason = rules.ProviderReason(diagnostic, status, null, MessageClassifier.HostsOf(address[(address.LastIndexOf('@') + 1)..], null, reportingMta, diagnostic))
                        ?? rules.ReasonFor(status, diagnostic);
                    return new FailedRecipient(address, status, Text(r, "action") ?? "failed", diagnostic, null)
                    {
                        ReplyCode = MessageClassifier.ReplyCodeOf(diagnostic),
                        Reason = reason,
                        IsHard = permanent && rules.IsHard(reason, status),
                    };
                }).Where(r => r.Address.Length > 0).ToList();
                return failed.Count > 0 ? new BounceVerdict(failed, messageId) : null;

            case "Complaint" when notice.TryGetProperty("complaint", out var complaint):
                var feedback = Text(complaint, "complaintFeedbackType") ?? "abuse";
                return new ComplaintVerdict(feedback, Array(complaint, "complainedRecipients").Select(r => Text(r, "emailAddress")?.ToLowerInvariant()).OfType<string>().ToList(), messageId);

            case "Delivery" when notice.TryGetProperty("delivery", out var delivery):
                var response = Text(delivery, "smtpResponse");
                var code = MessageClassifier.StatusOf(response) ?? "2.0.0";
                var delivered = Array(delivery, "recipients").Where(r => r.ValueKind == JsonValueKind.String).Select(r => new FailedRecipient(r.GetString()!.ToLowerInvariant(), code, "delivered", response, null)
                {
                    ReplyCode = MessageClassifier.ReplyCodeOf(response),
                    Reason = "delivered",
                }).ToList();
                return delivered.Count > 0 ? new BounceVerdict(delivered, messageId) : null;

            default:
                return null;
        }
    }

    private static List<JsonElement> Array(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToList() : [];

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The first balanced {...} of the text (strings and escapes respected), without what follows it (SNS's footer).</summary>
    private static string? FirstObject(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var depth = 0;
        var inString = false;
        for (var n = start; n < text.Length; n++)
        {
            var c = text[n];
            if (inString)
            {
                if (c == '\\')
                {
                    n++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return text[start..(n + 1)];
            }
        }

        return null;
    }
}
