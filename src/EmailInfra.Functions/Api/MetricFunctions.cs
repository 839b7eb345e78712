using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Daily metric series. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class MetricFunctions(HttpAdminApi api)
{
    [Function("GetMetrics")]
    public async Task<IActionResult> GetMetrics([HttpTrigger(AuthorizationLevel.Function, "get", Route = "metrics/{kind}/{id}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetMetrics", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
