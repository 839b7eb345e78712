using System.Globalization;
using System.Text;

namespace EmailInfra.Core.Api;

/// <summary>Paging of lists by key order: ?limit= and the opaque ?after= token a previous page gave as next.</summary>
public static class ApiPaging
{
    public static readonly IReadOnlyList<ApiQueryParameter> Parameters =
    [
        new("limit", "Items per page, 1-1000 (default 100)", "integer"),
        new("after", "The next token of the previous page"),
    ];

    /// <summary>The ?limit= of a route that returns the newest items only (no token): a whole number from 1 to <paramref name="max"/>.</summary>
    public static int Limit(ApiRequest request, int fallback, int max)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.QueryValue("limit") is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max
            ? limit
            : throw new InvalidRequestException("limit", $"must be a whole number from 1 to {max}");
    }

    /// <summary>Pages items ordered by <paramref name="key"/> (ordinal): those after the token, at most the limit.</summary>
    public static ApiPage<T> Of<T>(IEnumerable<T> items, Func<T, string> key, ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        var limit = 100;
        if (request.QueryValue("limit") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            throw new InvalidRequestException("limit", "must be a whole number from 1 to 1000");
        }

        string? after = null;
        if (request.QueryValue("after") is { } token)
        {
            after = Decode(token) ?? throw new InvalidRequestException("after", "is not a token this API gave out");
        }

        var page = items
            .Select(i => (Key: key(i), Item: i))
            .Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var next = page.Count > limit ? Encode(page[limit - 1].Key) : null;
        return new ApiPage<T>(page.Take(limit).Select(p => p.Item).ToList(), next);
    }

    private static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string token)
    {
        if (token.Length is 0 or > 1400)
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
