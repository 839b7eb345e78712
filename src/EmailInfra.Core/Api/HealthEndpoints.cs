using System.Text.RegularExpressions;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Api;

/// <summary>Health per mailbox, domain and pool: the current state, its events with their evidence, and an operator's override.</summary>
public sealed partial class HealthEndpoints(HealthService health, IHealthEvents events, IMailboxStore mailboxes, Domains.IDomainStore domains, Warmup.WarmupControl warmup) : IApiEndpoints
{
    private const string Tag = "Health";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("GetHealth", "GET", "health/{kind}/{id}", "A mailbox's, domain's or pool's health: level, the rules holding it, throttles, override", GetAsync)
        {
            Tag = Tag, ResponseBody = typeof(HealthView),
        },
        new("ListHealthEvents", "GET", "health/{kind}/{id}/events", "The scope's health events (transitions, overrides, audits that got worse) with their evidence, newest first", EventsAsync)
        {
            Tag = Tag, ResponseBody = typeof(IReadOnlyList<HealthEvent>), Query = [new("limit", "Events to return, 1-500 (default 50)", "integer")],
        },
        new("OverrideHealth", "POST", "health/{kind}/{id}/override", "Set the scope's level by hand (resume lifts it); recorded as an override event and applied at once; retiring stops today's warm-up days", OverrideAsync)
        {
            Tag = Tag, RequestBody = typeof(OverrideInput), ResponseBody = typeof(HealthView), UsesOrchestrations = true,
        },
    ];

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct) =>
        ApiResponse.Ok(ApiViews.Of(await health.GetAsync(await ScopeAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)));

    private async Task<ApiResponse> EventsAsync(ApiRequest request, CancellationToken ct)
    {
        var scope = await ScopeAsync(request, ct).ConfigureAwait(false);
        var limit = ApiPaging.Limit(request, 50, 500);

        return ApiResponse.Ok(await events.ListEventsAsync(scope.Key, limit, ct).ConfigureAwait(false));
    }

    private async Task<ApiResponse> OverrideAsync(ApiRequest request, CancellationToken ct)
    {
        var scope = await ScopeAsync(request, ct).ConfigureAwait(false);
        var input = ApiJson.Read<OverrideInput>(request);
        var errors = new Dictionary<string, string[]>();
        var note = ApiViews.Text("note", input.Note, 500, errors);
        HealthLevel? level = input.Level?.Trim().ToLowerInvariant() switch
        {
            "clear" or "resume" => HealthLevel.Clear,
            "ramp-held" or "rampheld" => HealthLevel.RampHeld,
            "throttled" => HealthLevel.Throttled,
            "paused" => HealthLevel.Paused,
            "retired" => HealthLevel.Retired,
            _ => null,
        };
        if (level is null)
        {
            errors["level"] = ["must be resume, clear, ramp-held, throttled, paused or retired"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var actor = ActorPattern().IsMatch(request.Actor) ? request.Actor : throw new InvalidRequestException("X-EmailInfra-Actor", "must be 1-64 letters, digits, spaces or . _ @ -");
        var record = await health.OverrideAsync(scope, level!.Value, actor, note, ct).ConfigureAwait(false);
        if (level == HealthLevel.Retired && request.Orchestrations is { } client)
        {
            // retired mailboxes' queued sends already fail as "mailbox retired"; their running days stop now rather than at their summary
            var covered = (await mailboxes.ListAllAsync(ct).ConfigureAwait(false)).Where(m => scope.Kind switch
            {
                ScopeKind.Mailbox => m.Address == scope.Id,
                ScopeKind.Domain => m.Domain == scope.Id,
                _ => m.PoolId == scope.Id,
            }).ToList();
            await warmup.ApplyAsync(client, covered, "stop", ct).ConfigureAwait(false);
        }

        return ApiResponse.Ok(ApiViews.Of(record));
    }

    /// <summary>The scope named by the route; it must exist, so an override cannot create state for a mistyped name.</summary>
    private async Task<HealthScope> ScopeAsync(ApiRequest request, CancellationToken ct)
    {
        var id = request.RouteValue("id");
        switch (request.RouteValue("kind").ToLowerInvariant())
        {
            case "mailbox":
                var address = ApiViews.Address("id", id);
                return await mailboxes.FindByAddressAsync(address, ct).ConfigureAwait(false) is not null ? HealthScope.Mailbox(address) : throw ApiException.NotFound("The mailbox " + address);
            case "domain":
                var name = ApiViews.DomainName("id", id);
                return await domains.GetAsync(name, ct).ConfigureAwait(false) is not null ? HealthScope.Domain(name) : throw ApiException.NotFound("The domain " + name);
            case "pool":
                var pool = ApiViews.PoolId("id", id);
                return await mailboxes.GetPoolAsync(pool, ct).ConfigureAwait(false) is not null ? HealthScope.Pool(pool) : throw ApiException.NotFound("The pool " + pool);
            default:
                throw ApiException.NotFound("The scope kind (mailbox, domain or pool)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9 ._@-]{1,64}$")]
    private static partial Regex ActorPattern();
}
