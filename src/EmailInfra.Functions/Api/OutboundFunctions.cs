using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Outbound mail handed over by campaign tools. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class OutboundFunctions(HttpAdminApi api)
{
    [Function("EnqueueOutbound")]
    public async Task<IActionResult> EnqueueOutbound([HttpTrigger(AuthorizationLevel.Function, "post", Route = "outbound")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "EnqueueOutbound", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetOutbound")]
    public async Task<IActionResult> GetOutbound([HttpTrigger(AuthorizationLevel.Function, "get", Route = "outbound/{pool}/{id}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetOutbound", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
