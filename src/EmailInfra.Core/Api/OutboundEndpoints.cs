using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Api;

/// <summary>Outbound mail: a campaign tool hands an email to a pool (the pipeline picks the mailbox) and reads where it stands.</summary>
public sealed class OutboundEndpoints(SendScheduler scheduler, IOutboundRequests requests, ISendLedger ledger) : IApiEndpoints
{
    private const string Tag = "Outbound";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("EnqueueOutbound", "POST", "outbound", "Queue one email through a pool or from one mailbox; answers 202 with where to read its status", EnqueueAsync)
        {
            Tag = Tag, RequestBody = typeof(OutboundInput), ResponseBody = typeof(OutboundView), SuccessStatus = 202,
        },
        new("GetOutbound", "GET", "outbound/{pool}/{id}", "An outbound email's status: pending, assigned (with its ledger state), or failed with the reason", GetAsync)
        {
            Tag = Tag, ResponseBody = typeof(OutboundView),
        },
    ];

    private async Task<ApiResponse> EnqueueAsync(ApiRequest request, CancellationToken ct)
    {
        var input = ApiJson.Read<OutboundInput>(request);
        var errors = new Dictionary<string, string[]>();
        if (input.Pool is { } pool && !Mailboxes.PoolIds.IsValid(pool))
        {
            errors["pool"] = ["must be 1-63 characters: lower-case letters, digits and '-'"];
        }

        if (input.Id is { } id && (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors["id"] = ["must be 1-64 letters, digits, '-' or '_' (your own id, which makes a retried request idempotent)"];
        }

        if (input.Mailbox is not null && Mailboxes.EmailAddress.Normalize(input.Mailbox) is null)
        {
            errors["mailbox"] = ["must be a plain address such as name@example.com"];
        }

        ApiViews.Text("subject", input.Subject, 900, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        // a client's own id makes a retry safe: the request it already made is answered again, not queued twice
        if (input.Id is not null && input.Pool is not null && await requests.GetAsync(input.Pool, input.Id, ct).ConfigureAwait(false) is { } earlier)
        {
            return ApiResponse.Ok(await ViewAsync(earlier, ct).ConfigureAwait(false));
        }

        OutboundRequest stored;
        try
        {
            stored = await scheduler.ScheduleOutboundAsync(
                new OutboundSendRequest(input.Pool, input.Mailbox, input.To, input.Subject, input.Text, input.Html, input.UnsubscribeUrl, input.NotBefore, input.Id), ct).ConfigureAwait(false);
        }
        catch (InvalidRequestException ex)
        {
            // the scheduler names its own fields; the API's are to, text and html
            throw new InvalidRequestException(ex.Errors.ToDictionary(
                e => e.Key switch { "recipient" => "to", "textBody" => "text", "htmlBody" => "html", "poolId" => "pool", _ => e.Key },
                e => e.Value));
        }

        return ApiResponse.Accepted(await ViewAsync(stored, ct).ConfigureAwait(false), $"outbound/{stored.PoolId}/{stored.Id}");
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var pool = ApiViews.PoolId("pool", request.RouteValue("pool"));
        var id = request.RouteValue("id");
        var stored = id.Length <= 64 ? await requests.GetAsync(pool, id, ct).ConfigureAwait(false) : null;
        return stored is null ? throw ApiException.NotFound("The outbound request " + (id.Length > 64 ? id[..64] : id)) : ApiResponse.Ok(await ViewAsync(stored, ct).ConfigureAwait(false));
    }

    private async Task<OutboundView> ViewAsync(OutboundRequest r, CancellationToken ct)
    {
        LedgerEntry? entry = r.AssignedMailbox is { } mailbox && r.AssignedDay is { } day
            ? await ledger.GetAsync(new LedgerKey(mailbox, day, r.Id), ct).ConfigureAwait(false)
            : null;
        return new OutboundView(
            r.Id, r.PoolId, r.Recipient, r.Subject, r.State.ToString().ToLowerInvariant(), r.NotBefore, r.AssignedMailbox, r.AssignedDay, r.Reason,
            entry?.State.ToString().ToLowerInvariant(), entry?.MessageId, entry?.BounceStatus);
    }
}
