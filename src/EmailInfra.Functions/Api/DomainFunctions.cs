using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Sending domains and their audits. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class DomainFunctions(HttpAdminApi api)
{
    [Function("ListDomains")]
    public async Task<IActionResult> ListDomains([HttpTrigger(AuthorizationLevel.Function, "get", Route = "domains")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListDomains", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("CreateDomain")]
    public async Task<IActionResult> CreateDomain([HttpTrigger(AuthorizationLevel.Function, "post", Route = "domains")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "CreateDomain", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetDomain")]
    public async Task<IActionResult> GetDomain([HttpTrigger(AuthorizationLevel.Function, "get", Route = "domains/{domain}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetDomain", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("UpdateDomain")]
    public async Task<IActionResult> UpdateDomain([HttpTrigger(AuthorizationLevel.Function, "put", Route = "domains/{domain}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "UpdateDomain", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("DeleteDomain")]
    public async Task<IActionResult> DeleteDomain([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "domains/{domain}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "DeleteDomain", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("RunAudit")]
    public async Task<IActionResult> RunAudit([HttpTrigger(AuthorizationLevel.Function, "post", Route = "domains/{domain}/audit")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "RunAudit", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ListAudits")]
    public async Task<IActionResult> ListAudits([HttpTrigger(AuthorizationLevel.Function, "get", Route = "domains/{domain}/audits")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListAudits", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
