using MimeKit.Utils;

namespace EmailInfra.Core.Inbox;

/// <summary>Parsing of Message-ID style header values into bare ids (no angle brackets).</summary>
public static class MessageIds
{
    public static string? Parse(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        foreach (var id in MimeUtils.EnumerateReferences(headerValue))
        {
            return id;
        }

        var trimmed = headerValue.Trim().Trim('<', '>').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    public static IReadOnlyList<string> ParseAll(string? headerValue) =>
        string.IsNullOrWhiteSpace(headerValue) ? [] : MimeUtils.EnumerateReferences(headerValue).ToList();
}
