using EmailInfra.Core.Secrets;
using EmailInfra.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Api;

/// <summary>Webhook subscriptions: register, read, list, delete, ping, and each one's deliveries.</summary>
public sealed class WebhookEndpoints(IWebhookStore store, ISecretStore secrets, WebhookPublisher publisher, IOptions<WebhookOptions> options, TimeProvider time) : IApiEndpoints
{
    private const string Tag = "Webhooks";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ListWebhooks", "GET", "webhooks", "List webhook endpoints", ListAsync) { Tag = Tag, ResponseBody = typeof(ApiPage<WebhookView>), Query = ApiPaging.Parameters },
        new("CreateWebhook", "POST", "webhooks", "Register an endpoint for events: reply, bounce, complaint, auto-reply, health", CreateAsync)
        {
            Tag = Tag, RequestBody = typeof(WebhookInput), ResponseBody = typeof(WebhookView), SuccessStatus = 201,
        },
        new("GetWebhook", "GET", "webhooks/{id}", "Read a webhook endpoint", GetAsync) { Tag = Tag, ResponseBody = typeof(WebhookView) },
        new("DeleteWebhook", "DELETE", "webhooks/{id}", "Delete a webhook endpoint (its pending deliveries are recorded as failed)", DeleteAsync) { Tag = Tag, SuccessStatus = 204 },
        new("PingWebhook", "POST", "webhooks/{id}/ping", "Queue a signed test delivery (event ping) to the endpoint", PingAsync) { Tag = Tag, ResponseBody = typeof(WebhookDeliveryView), SuccessStatus = 202 },
        new("ListWebhookDeliveries", "GET", "webhooks/{id}/deliveries", "The endpoint's deliveries, newest first: state, attempts, last answer", DeliveriesAsync)
        {
            Tag = Tag, ResponseBody = typeof(IReadOnlyList<WebhookDeliveryView>), Query = [new("limit", "Deliveries to return, 1-500 (default 50)", "integer")],
        },
    ];

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken ct) =>
        ApiResponse.Ok(ApiPaging.Of((await store.ListEndpointsAsync(ct).ConfigureAwait(false)).Select(View), w => w.Id, request));

    private async Task<ApiResponse> CreateAsync(ApiRequest request, CancellationToken ct)
    {
        var input = ApiJson.Read<WebhookInput>(request);
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(input.Url, UriKind.Absolute, out var url) || input.Url.Length > 2000 || input.Url.Any(char.IsControl)
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && options.Value.PlaintextAllowedHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase)))
            || !string.IsNullOrEmpty(url.UserInfo))
        {
            errors["url"] = ["must be an absolute https URL without credentials (http only for hosts in Webhooks:PlaintextAllowedHosts)"];
        }

        var events = (input.Events ?? []).Select(e => e?.Trim().ToLowerInvariant() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        if (events.Count == 0 || events.Any(e => !WebhookEventKinds.All.Contains(e)))
        {
            errors["events"] = ["must name one or more of " + string.Join(", ", WebhookEventKinds.All)];
        }

        if (input.Secret is not { Length: >= 32 and <= 256 } || input.Secret.Any(char.IsControl))
        {
            errors["secret"] = ["must be 32-256 characters (for example 32 random bytes, hex-encoded)"];
        }

        var description = ApiViews.Text("description", input.Description, 200, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var id = "wh-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N")[..20];
        var endpoint = new WebhookEndpoint(id, url!, events, "webhook-" + id, time.GetUtcNow(), description);
        await secrets.SetAsync(endpoint.SecretName, input.Secret, ct).ConfigureAwait(false);
        await store.AddEndpointAsync(endpoint, ct).ConfigureAwait(false);
        return ApiResponse.Created(View(endpoint), "webhooks/" + id);
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct) => ApiResponse.Ok(View(await FindAsync(request, ct).ConfigureAwait(false)));

    private async Task<ApiResponse> DeleteAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await FindAsync(request, ct).ConfigureAwait(false);
        await store.DeleteEndpointAsync(endpoint.Id, ct).ConfigureAwait(false);
        await secrets.DeleteAsync(endpoint.SecretName, ct).ConfigureAwait(false);
        return ApiResponse.NoContent();
    }

    private async Task<ApiResponse> PingAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await FindAsync(request, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var ping = WebhookEvent.For(WebhookEventKinds.Ping, $"{endpoint.Id}|{Guid.NewGuid():N}", now, new Dictionary<string, object?> { ["endpoint"] = endpoint.Id, ["actor"] = request.Actor });
        await publisher.PublishToAsync(endpoint, ping, ct).ConfigureAwait(false);
        var delivery = await store.GetDeliveryAsync(endpoint.Id, ping.Id, ct).ConfigureAwait(false);
        return ApiResponse.Accepted(View(delivery!), $"webhooks/{endpoint.Id}/deliveries");
    }

    private async Task<ApiResponse> DeliveriesAsync(ApiRequest request, CancellationToken ct)
    {
        var endpoint = await FindAsync(request, ct).ConfigureAwait(false);
        var limit = ApiPaging.Limit(request, 50, 500);

        return ApiResponse.Ok((await store.ListDeliveriesAsync(endpoint.Id, limit, ct).ConfigureAwait(false)).Select(View).ToList());
    }

    private async Task<WebhookEndpoint> FindAsync(ApiRequest request, CancellationToken ct)
    {
        var id = request.RouteValue("id");
        var valid = id.Length is > 3 and <= 40 && id.StartsWith("wh-", StringComparison.Ordinal) && id[3..].All(char.IsAsciiLetterOrDigit);
        return (valid ? await store.GetEndpointAsync(id, ct).ConfigureAwait(false) : null) ?? throw ApiException.NotFound("The webhook endpoint " + (id.Length > 40 ? id[..40] : id));
    }

    private static WebhookView View(WebhookEndpoint e) => new(e.Id, e.Url.ToString(), e.Events, e.Description, e.CreatedAt);

    private static WebhookDeliveryView View(WebhookDelivery d) =>
        new(d.EventId, d.Kind, d.State.ToString().ToLowerInvariant(), d.Attempts, d.LastStatus, d.LastError, d.CreatedAt, d.DeliveredAt);
}
