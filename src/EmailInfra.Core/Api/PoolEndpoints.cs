using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Api;

/// <summary>Sending pools: create, read, list, update, delete (an empty pool only).</summary>
public sealed class PoolEndpoints(IMailboxStore mailboxes, TimeProvider time) : IApiEndpoints
{
    private const string Tag = "Pools";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ListPools", "GET", "pools", "List sending pools", ListAsync) { Tag = Tag, ResponseBody = typeof(ApiPage<PoolView>), Query = ApiPaging.Parameters },
        new("CreatePool", "POST", "pools", "Create a sending pool", CreateAsync) { Tag = Tag, RequestBody = typeof(PoolInput), ResponseBody = typeof(PoolView), SuccessStatus = 201 },
        new("GetPool", "GET", "pools/{pool}", "Read a sending pool", GetAsync) { Tag = Tag, ResponseBody = typeof(PoolView) },
        new("UpdatePool", "PUT", "pools/{pool}", "Change a pool's description or time zone (If-Match: its ETag)", UpdateAsync)
        {
            Tag = Tag, RequestBody = typeof(PoolUpdate), ResponseBody = typeof(PoolView), Conditional = true,
        },
        new("DeletePool", "DELETE", "pools/{pool}", "Delete a pool that has no mailboxes", DeleteAsync) { Tag = Tag, SuccessStatus = 204, Conditional = true },
    ];

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken ct)
    {
        var pools = await mailboxes.ListPoolsAsync(ct).ConfigureAwait(false);
        var counts = (await mailboxes.ListAllAsync(ct).ConfigureAwait(false)).GroupBy(m => m.PoolId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return ApiResponse.Ok(ApiPaging.Of(pools.Select(p => ApiViews.Of(p, counts.GetValueOrDefault(p.Id))), p => p.Id, request));
    }

    private async Task<ApiResponse> CreateAsync(ApiRequest request, CancellationToken ct)
    {
        var input = ApiJson.Read<PoolInput>(request);
        var errors = new Dictionary<string, string[]>();
        var id = Check(errors, () => ApiViews.PoolId("id", input.Id));
        var zone = Check(errors, () => ApiViews.TimeZone("timeZone", input.TimeZone));
        var description = ApiViews.Text("description", input.Description, 200, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var pool = new SendingPool(id!, description ?? id!, zone!, time.GetUtcNow());
        if (!await mailboxes.TryWritePoolAsync(pool, ct).ConfigureAwait(false))
        {
            throw ApiException.Conflict($"The pool {id} already exists.");
        }

        var stored = await mailboxes.GetPoolAsync(pool.Id, ct).ConfigureAwait(false) ?? pool;
        return ApiResponse.Created(ApiViews.Of(stored, 0), "pools/" + pool.Id, ApiViews.ETag(stored.ETag));
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var pool = await FindAsync(request, ct).ConfigureAwait(false);
        return ApiResponse.Ok(ApiViews.Of(pool, (await mailboxes.ListPoolAsync(pool.Id, ct).ConfigureAwait(false)).Count), ApiViews.ETag(pool.ETag));
    }

    private async Task<ApiResponse> UpdateAsync(ApiRequest request, CancellationToken ct)
    {
        var pool = await FindAsync(request, ct).ConfigureAwait(false);
        var input = ApiJson.Read<PoolUpdate>(request);
        var errors = new Dictionary<string, string[]>();
        var zone = input.TimeZone is null ? pool.TimeZoneId : Check(errors, () => ApiViews.TimeZone("timeZone", input.TimeZone));
        var description = input.Description is null ? pool.Description : ApiViews.Text("description", input.Description, 200, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        if (!ApiViews.Matches(request, pool.ETag) || !await mailboxes.TryWritePoolAsync(pool with { Description = description!, TimeZoneId = zone! }, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The pool " + pool.Id);
        }

        var stored = (await mailboxes.GetPoolAsync(pool.Id, ct).ConfigureAwait(false))!;
        return ApiResponse.Ok(ApiViews.Of(stored, (await mailboxes.ListPoolAsync(pool.Id, ct).ConfigureAwait(false)).Count), ApiViews.ETag(stored.ETag));
    }

    private async Task<ApiResponse> DeleteAsync(ApiRequest request, CancellationToken ct)
    {
        var pool = await FindAsync(request, ct).ConfigureAwait(false);
        if ((await mailboxes.ListPoolAsync(pool.Id, ct).ConfigureAwait(false)).Count is > 0 and var n)
        {
            throw ApiException.Conflict($"The pool {pool.Id} still has {n} mailboxes; delete them first.");
        }

        if (!await mailboxes.TryDeletePoolAsync(pool.Id, ApiViews.IfMatch(request) ?? pool.ETag, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The pool " + pool.Id);
        }

        return ApiResponse.NoContent();
    }

    private async Task<SendingPool> FindAsync(ApiRequest request, CancellationToken ct)
    {
        var id = ApiViews.PoolId("pool", request.RouteValue("pool"));
        return await mailboxes.GetPoolAsync(id, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The pool " + id);
    }

    /// <summary>Collects a field's validation error with the others, so one answer names every bad field.</summary>
    internal static T? Check<T>(Dictionary<string, string[]> errors, Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (InvalidRequestException ex)
        {
            foreach (var (key, messages) in ex.Errors)
            {
                errors[key] = messages;
            }

            return null;
        }
    }
}
