using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: the fleet overview and a mailbox's warm-up history (the dashboard's reads). Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class OverviewFunctions(HttpAdminApi api)
{
    [Function("GetOverview")]
    public async Task<IActionResult> GetOverview([HttpTrigger(AuthorizationLevel.Function, "get", Route = "overview")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetOverview", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetWarmupHistory")]
    public async Task<IActionResult> GetWarmupHistory([HttpTrigger(AuthorizationLevel.Function, "get", Route = "mailboxes/{address}/warmup")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetWarmupHistory", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
