using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Api;

/// <summary>Warm-up control per mailbox and per pool: the API raises the day orchestrations' events itself.</summary>
public sealed class WarmupEndpoints(IMailboxStore mailboxes, WarmupControl control) : IApiEndpoints
{
    private const string Tag = "Warm-up";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ControlMailboxWarmup", "POST", "mailboxes/{address}/warmup/{action}", "start, pause, resume or stop the mailbox's warm-up day", MailboxAsync)
        {
            Tag = Tag, ResponseBody = typeof(WarmupActionReport), UsesOrchestrations = true,
        },
        new("ControlPoolWarmup", "POST", "pools/{pool}/warmup/{action}", "start, pause, resume or stop the warm-up days of every mailbox of the pool", PoolAsync)
        {
            Tag = Tag, ResponseBody = typeof(WarmupActionReport), UsesOrchestrations = true,
        },
    ];

    private async Task<ApiResponse> MailboxAsync(ApiRequest request, CancellationToken ct)
    {
        var action = Action(request);
        var address = ApiViews.Address("address", request.RouteValue("address"));
        var mailbox = await mailboxes.FindByAddressAsync(address, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The mailbox " + address);
        return ApiResponse.Ok(new WarmupActionReport("mailbox:" + address, action, await control.ApplyAsync(Client(request), [mailbox], action, ct).ConfigureAwait(false)));
    }

    private async Task<ApiResponse> PoolAsync(ApiRequest request, CancellationToken ct)
    {
        var action = Action(request);
        var id = ApiViews.PoolId("pool", request.RouteValue("pool"));
        _ = await mailboxes.GetPoolAsync(id, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The pool " + id);
        var members = await mailboxes.ListPoolAsync(id, ct).ConfigureAwait(false);
        return ApiResponse.Ok(new WarmupActionReport("pool:" + id, action, await control.ApplyAsync(Client(request), members, action, ct).ConfigureAwait(false)));
    }

    private static string Action(ApiRequest request)
    {
        var action = request.RouteValue("action").ToLowerInvariant();
        return action is "start" or "pause" or "resume" or "stop"
            ? action
            : throw ApiException.NotFound("The warm-up action " + (action.Length > 20 ? action[..20] : action) + " (start, pause, resume or stop)");
    }

    private static Microsoft.DurableTask.Client.DurableTaskClient Client(ApiRequest request) =>
        request.Orchestrations ?? throw new InvalidOperationException("This host gave the warm-up routes no Durable Task client.");
}
