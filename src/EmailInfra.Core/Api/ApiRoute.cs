namespace EmailInfra.Core.Api;

/// <summary>
/// One admin API operation: its name (the Functions function name and the OpenAPI operationId), method, route template in the
/// Functions syntax under the "api" prefix ("domains/{domain}"), documentation, and the handler both hosts call.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Template, string Summary, Func<ApiRequest, CancellationToken, Task<ApiResponse>> Handle)
{
    public required string Tag { get; init; }

    /// <summary>The JSON body the route reads (null: none, or CSV when <see cref="RequestContentType"/> says so).</summary>
    public Type? RequestBody { get; init; }

    public string RequestContentType { get; init; } = "application/json";

    public Type? ResponseBody { get; init; }

    public int SuccessStatus { get; init; } = 200;

    public IReadOnlyList<ApiQueryParameter> Query { get; init; } = [];

    /// <summary>Answers without a key (the health probe only).</summary>
    public bool Anonymous { get; init; }

    /// <summary>Reads <see cref="ApiRequest.Orchestrations"/>: the Functions host binds a Durable client for it.</summary>
    public bool UsesOrchestrations { get; init; }

    /// <summary>Reads If-Match (updates and deletes).</summary>
    public bool Conditional { get; init; }

    public IReadOnlyList<string> RouteParameters =>
        Template.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]).ToList();

    /// <summary>Literal segments, for preferring "mailboxes/import" over "mailboxes/{address}".</summary>
    public int LiteralSegments => Template.Split('/').Count(s => !s.StartsWith('{'));

    /// <summary>Matches a path under the API prefix ("/domains/example.com"); route values come back URL-decoded.</summary>
    public bool TryMatch(string path, out Dictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var want = Template.Split('/');
        var got = path.Trim('/').Split('/');
        if (want.Length != got.Length)
        {
            return false;
        }

        for (var i = 0; i < want.Length; i++)
        {
            if (want[i].StartsWith('{'))
            {
                var value = Uri.UnescapeDataString(got[i]);
                if (value.Length == 0)
                {
                    return false;
                }

                values[want[i][1..^1]] = value;
            }
            else if (!string.Equals(want[i], got[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
