using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Warm-up control; these bind a Durable client to raise the day orchestrations' events. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class WarmupControlFunctions(HttpAdminApi api)
{
    [Function("ControlMailboxWarmup")]
    public async Task<IActionResult> ControlMailboxWarmup([HttpTrigger(AuthorizationLevel.Function, "post", Route = "mailboxes/{address}/warmup/{action}")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        await api.ServeAsync(request.HttpContext, "ControlMailboxWarmup", client).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ControlPoolWarmup")]
    public async Task<IActionResult> ControlPoolWarmup([HttpTrigger(AuthorizationLevel.Function, "post", Route = "pools/{pool}/warmup/{action}")] HttpRequest request, [DurableClient] DurableTaskClient client)
    {
        await api.ServeAsync(request.HttpContext, "ControlPoolWarmup", client).ConfigureAwait(false);
        return new EmptyResult();
    }
}
