using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: The health probe and the OpenAPI document. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class SystemFunctions(HttpAdminApi api)
{
    [Function("Ping")]
    public async Task<IActionResult> Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ping")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "Ping", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetOpenApi")]
    public async Task<IActionResult> GetOpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetOpenApi", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
