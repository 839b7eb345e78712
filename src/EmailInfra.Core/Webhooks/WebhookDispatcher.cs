using System.Text;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Webhooks;

/// <summary>
/// Attempts one delivery: claims it (so a duplicate job waits), signs the stored body with the endpoint's secret and a fresh
/// timestamp, posts it, and records the answer. A 2xx delivers it for good; anything else is retried with doubling delays
/// until <see cref="WebhookOptions.MaxAttempts"/>, then recorded as failed. Never dropped silently.
/// </summary>
public sealed class WebhookDispatcher(IWebhookStore store, ISecretStore secrets, IWebhookTransport transport, IJobQueue queue, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
{
    public Task HandleAsync(string message, CancellationToken cancellationToken) => HandleAsync(WebhookJob.Parse(message), cancellationToken);

    public async Task HandleAsync(WebhookJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var o = options.Value;
        var delivery = await store.GetDeliveryAsync(job.EndpointId, job.EventId, cancellationToken).ConfigureAwait(false);
        if (delivery is null || delivery.State != WebhookDeliveryState.Pending)
        {
            return; // delivered or failed already: a duplicate job does nothing
        }

        var now = time.GetUtcNow();
        if (delivery.ClaimedUntil is { } until && until > now)
        {
            // another worker is posting it: look again once its claim has run out (it will have finished by then)
            await queue.EnqueueAsync(QueueNames.WebhookJobs, job, until - now + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return;
        }

        var endpoint = await store.GetEndpointAsync(job.EndpointId, cancellationToken).ConfigureAwait(false);
        if (endpoint is null)
        {
            await store.TryReplaceDeliveryAsync(delivery with { State = WebhookDeliveryState.Failed, LastError = "the endpoint was deleted" }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // the claim outlives the post's timeout, so nobody else posts while this one may still get an answer
        var claimed = await store.TryReplaceDeliveryAsync(delivery with { ClaimedUntil = now + o.Timeout + o.Timeout }, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return; // another worker claimed it between our read and our write; its job carries it from here
        }

        var body = Encoding.UTF8.GetBytes(claimed.Payload);
        var secret = await secrets.GetAsync(endpoint.SecretName, cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.Header] = WebhookSignature.Sign(secret, time.GetUtcNow(), body),
            ["X-EmailInfra-Event"] = claimed.Kind,
            ["X-EmailInfra-Event-Id"] = claimed.EventId,
            ["X-EmailInfra-Delivery-Attempt"] = (claimed.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.Timeout);
        WebhookResponse response;
        try
        {
            response = await transport.PostAsync(endpoint.Url, body, headers, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response = new WebhookResponse(null, $"no answer within {o.Timeout.TotalSeconds:0} s");
        }

        var attempts = claimed.Attempts + 1;
        if (response.Succeeded)
        {
            await store.TryReplaceDeliveryAsync(claimed with { State = WebhookDeliveryState.Delivered, Attempts = attempts, LastStatus = response.Status, LastError = null, DeliveredAt = time.GetUtcNow(), ClaimedUntil = null }, cancellationToken).ConfigureAwait(false);
            WebhookLog.Delivered(logger, claimed.Kind, claimed.EventId, endpoint.Id, attempts);
            return;
        }

        var error = response.Error ?? $"HTTP {response.Status}";
        if (attempts >= o.MaxAttempts)
        {
            await store.TryReplaceDeliveryAsync(claimed with { State = WebhookDeliveryState.Failed, Attempts = attempts, LastStatus = response.Status, LastError = error, ClaimedUntil = null }, cancellationToken).ConfigureAwait(false);
            WebhookLog.GaveUp(logger, claimed.Kind, claimed.EventId, endpoint.Id, attempts, error);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(o.MaxRetryDelay.Ticks, o.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
        await store.TryReplaceDeliveryAsync(claimed with { Attempts = attempts, LastStatus = response.Status, LastError = error, ClaimedUntil = null }, cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(QueueNames.WebhookJobs, job, delay, cancellationToken).ConfigureAwait(false);
        WebhookLog.Retrying(logger, claimed.Kind, claimed.EventId, endpoint.Id, attempts, error, delay);
    }
}
