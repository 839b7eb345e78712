using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Sending pools. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class PoolFunctions(HttpAdminApi api)
{
    [Function("ListPools")]
    public async Task<IActionResult> ListPools([HttpTrigger(AuthorizationLevel.Function, "get", Route = "pools")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListPools", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("CreatePool")]
    public async Task<IActionResult> CreatePool([HttpTrigger(AuthorizationLevel.Function, "post", Route = "pools")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "CreatePool", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetPool")]
    public async Task<IActionResult> GetPool([HttpTrigger(AuthorizationLevel.Function, "get", Route = "pools/{pool}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetPool", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("UpdatePool")]
    public async Task<IActionResult> UpdatePool([HttpTrigger(AuthorizationLevel.Function, "put", Route = "pools/{pool}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "UpdatePool", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("DeletePool")]
    public async Task<IActionResult> DeletePool([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "pools/{pool}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "DeletePool", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
