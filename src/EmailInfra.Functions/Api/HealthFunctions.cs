using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Health state, events and overrides. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class HealthFunctions(HttpAdminApi api)
{
    [Function("GetHealth")]
    public async Task<IActionResult> GetHealth([HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/{kind}/{id}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetHealth", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ListHealthEvents")]
    public async Task<IActionResult> ListHealthEvents([HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/{kind}/{id}/events")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListHealthEvents", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("OverrideHealth")]
    public async Task<IActionResult> OverrideHealth([HttpTrigger(AuthorizationLevel.Function, "post", Route = "health/{kind}/{id}/override")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        await api.ServeAsync(request.HttpContext, "OverrideHealth", client).ConfigureAwait(false);
        return new EmptyResult();
    }
}
