using System.Text.RegularExpressions;
using MimeKit;

namespace EmailInfra.Core.Inbox;

/// <summary>What the receiving server concluded about a message's SPF, DKIM and DMARC (RFC 8601 Authentication-Results).</summary>
/// <remarks>Each is "pass", "fail", another RFC 8601 result (softfail, neutral, none, temperror, permerror, policy), or null when absent.</remarks>
public sealed partial record AuthenticationVerdicts(string? Spf, string? Dkim, string? Dmarc)
{
    // a header is hostile input: a runaway match fails the message (recorded and skipped), never the poller
    private const int MatchTimeoutMs = 500;

    /// <summary>Reads the topmost Authentication-Results header: the one the receiving server added last, which is the one to trust.</summary>
    public static AuthenticationVerdicts? From(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var index = headers.IndexOf(HeaderId.AuthenticationResults);
        if (index < 0)
        {
            return null;
        }

        var value = headers[index].Value;
        return new AuthenticationVerdicts(Result(value, "spf"), Result(value, "dkim"), Result(value, "dmarc"));
    }

    private static string? Result(string value, string method)
    {
        foreach (Match match in MethodResult().Matches(value))
        {
            if (string.Equals(match.Groups[1].Value, method, StringComparison.OrdinalIgnoreCase))
            {
                return match.Groups[2].Value.ToLowerInvariant();
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:^|[;\s])(spf|dkim|dmarc)\s*=\s*([A-Za-z]+)", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex MethodResult();
}
