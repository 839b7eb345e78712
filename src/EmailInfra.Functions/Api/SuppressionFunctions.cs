using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: The suppression list. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class SuppressionFunctions(HttpAdminApi api)
{
    [Function("ListSuppressions")]
    public async Task<IActionResult> ListSuppressions([HttpTrigger(AuthorizationLevel.Function, "get", Route = "suppressions")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListSuppressions", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ImportSuppressions")]
    public async Task<IActionResult> ImportSuppressions([HttpTrigger(AuthorizationLevel.Function, "post", Route = "suppressions/import")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ImportSuppressions", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetSuppression")]
    public async Task<IActionResult> GetSuppression([HttpTrigger(AuthorizationLevel.Function, "get", Route = "suppressions/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetSuppression", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("AddSuppression")]
    public async Task<IActionResult> AddSuppression([HttpTrigger(AuthorizationLevel.Function, "put", Route = "suppressions/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "AddSuppression", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("RemoveSuppression")]
    public async Task<IActionResult> RemoveSuppression([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "suppressions/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "RemoveSuppression", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
