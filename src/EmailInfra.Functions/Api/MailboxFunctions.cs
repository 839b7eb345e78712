using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Api;

/// <summary>Admin API: Mailboxes: registration with its connection test, bulk import, updates. Each function hands its request to the route of the same name (see Core/Api).</summary>
public sealed class MailboxFunctions(HttpAdminApi api)
{
    [Function("ListMailboxes")]
    public async Task<IActionResult> ListMailboxes([HttpTrigger(AuthorizationLevel.Function, "get", Route = "mailboxes")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ListMailboxes", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("CreateMailbox")]
    public async Task<IActionResult> CreateMailbox([HttpTrigger(AuthorizationLevel.Function, "post", Route = "mailboxes")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "CreateMailbox", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("ImportMailboxes")]
    public async Task<IActionResult> ImportMailboxes([HttpTrigger(AuthorizationLevel.Function, "post", Route = "mailboxes/import")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "ImportMailboxes", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("GetMailbox")]
    public async Task<IActionResult> GetMailbox([HttpTrigger(AuthorizationLevel.Function, "get", Route = "mailboxes/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "GetMailbox", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("UpdateMailbox")]
    public async Task<IActionResult> UpdateMailbox([HttpTrigger(AuthorizationLevel.Function, "put", Route = "mailboxes/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "UpdateMailbox", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("DeleteMailbox")]
    public async Task<IActionResult> DeleteMailbox([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "mailboxes/{address}")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "DeleteMailbox", null).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function("TestMailbox")]
    public async Task<IActionResult> TestMailbox([HttpTrigger(AuthorizationLevel.Function, "post", Route = "mailboxes/{address}/test")] HttpRequest request)
    {
        await api.ServeAsync(request.HttpContext, "TestMailbox", null).ConfigureAwait(false);
        return new EmptyResult();
    }
}
