using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Api;

/// <summary>The suppression list: list, read, add, remove, and import from CSV.</summary>
public sealed class SuppressionEndpoints(ISuppressionList suppressions) : IApiEndpoints
{
    private const string Tag = "Suppressions";
    private static readonly string[] AddressColumns = ["email", "e-mail", "email address", "address", "mail"];

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ListSuppressions", "GET", "suppressions", "List suppressed recipients", ListAsync) { Tag = Tag, ResponseBody = typeof(ApiPage<Suppression>), Query = ApiPaging.Parameters },
        new("ImportSuppressions", "POST", "suppressions/import", "Suppress every address of a CSV (text/csv; column email or address, optional reason)", ImportAsync)
        {
            Tag = Tag, RequestContentType = "text/csv", ResponseBody = typeof(SuppressionImportReport),
        },
        new("GetSuppression", "GET", "suppressions/{address}", "Whether and why a recipient is suppressed", GetAsync) { Tag = Tag, ResponseBody = typeof(Suppression) },
        new("AddSuppression", "PUT", "suppressions/{address}", "Suppress a recipient by hand", AddAsync) { Tag = Tag, RequestBody = typeof(SuppressionInput), ResponseBody = typeof(Suppression) },
        new("RemoveSuppression", "DELETE", "suppressions/{address}", "Lift a suppression", RemoveAsync) { Tag = Tag, SuccessStatus = 204 },
    ];

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken ct)
    {
        var all = new List<Suppression>();
        await foreach (var s in suppressions.ListAsync(ct).ConfigureAwait(false))
        {
            all.Add(s);
        }

        return ApiResponse.Ok(ApiPaging.Of(all, s => s.Address, request));
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var address = ApiViews.Address("address", request.RouteValue("address"));
        return await suppressions.GetAsync(address, ct).ConfigureAwait(false) is { } found ? ApiResponse.Ok(found) : throw ApiException.NotFound("A suppression of " + address);
    }

    private async Task<ApiResponse> AddAsync(ApiRequest request, CancellationToken ct)
    {
        var address = ApiViews.Address("address", request.RouteValue("address"));
        var input = ApiJson.Read<SuppressionInput>(request);
        var errors = new Dictionary<string, string[]>();
        var reason = ApiViews.Text("reason", input.Reason, 100, errors);
        var evidence = ApiViews.Text("evidence", input.Evidence, 1000, errors);
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["reason"] = ["is required (e.g. unsubscribed, do-not-contact)"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        await suppressions.AddAsync(address, "operator: " + reason, evidence ?? $"added by {request.Actor} through the API", ct).ConfigureAwait(false);
        return ApiResponse.Ok(await suppressions.GetAsync(address, ct).ConfigureAwait(false));
    }

    private async Task<ApiResponse> RemoveAsync(ApiRequest request, CancellationToken ct)
    {
        var address = ApiViews.Address("address", request.RouteValue("address"));
        return await suppressions.RemoveAsync(address, ct).ConfigureAwait(false) ? ApiResponse.NoContent() : throw ApiException.NotFound("A suppression of " + address);
    }

    private async Task<ApiResponse> ImportAsync(ApiRequest request, CancellationToken ct)
    {
        if (request.ContentType is { } type && !type.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "Unsupported media type", "The body must be text/csv with a header row.");
        }

        using var reader = new StringReader(System.Text.Encoding.UTF8.GetString(request.Body.Span));
        var rows = ContactListVerification.Csv.Read(reader).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidRequestException("body", "the CSV is empty: a header row with an email or address column is required");
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        var column = header.FindIndex(h => AddressColumns.Contains(h));
        var reasonColumn = header.IndexOf("reason");
        if (column < 0)
        {
            throw new InvalidRequestException("header", "needs a column named email or address");
        }

        var invalid = new List<ImportRow>();
        var added = 0;
        for (var i = 1; i < rows.Count; i++)
        {
            var cell = column < rows[i].Length ? rows[i][column].Trim() : string.Empty;
            if (cell.Length == 0 && rows[i].All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var reason = reasonColumn >= 0 && reasonColumn < rows[i].Length && rows[i][reasonColumn].Trim() is { Length: > 0 and <= 100 } r && !r.Any(char.IsControl) ? r : "imported";
            if (Mailboxes.EmailAddress.Normalize(cell) is not { } address)
            {
                invalid.Add(new ImportRow(i + 1, cell.Length > 320 ? cell[..320] : cell, "invalid", "not a plain address"));
                continue;
            }

            await suppressions.AddAsync(address, "operator: " + reason, $"imported by {request.Actor} through the API", ct).ConfigureAwait(false);
            added++;
        }

        return ApiResponse.Ok(new SuppressionImportReport(added + invalid.Count, added, invalid));
    }
}
