using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: webhook endpoints and their deliveries. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class WebhookFunctions(HttpAdminApi api)
{
    [Function("ListWebhooks")]
    public async Task<IActionResult> ListWebhooks([HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListWebhooks", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("CreateWebhook")]
    public async Task<IActionResult> CreateWebhook([HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "CreateWebhook", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetWebhook")]
    public async Task<IActionResult> GetWebhook([HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{id}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetWebhook", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("DeleteWebhook")]
    public async Task<IActionResult> DeleteWebhook([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "webhooks/{id}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "DeleteWebhook", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("PingWebhook")]
    public async Task<IActionResult> PingWebhook([HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/{id}/ping")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "PingWebhook", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ListWebhookDeliveries")]
    public async Task<IActionResult> ListWebhookDeliveries([HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{id}/deliveries")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListWebhookDeliveries", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
