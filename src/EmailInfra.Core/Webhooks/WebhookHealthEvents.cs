using EmailInfra.Core.Domains.Authentication;

namespace EmailInfra.Core.Webhooks;

/// <summary>Records health events as before and publishes each as a "health" webhook event (the same event recorded again is the same delivery).</summary>
public sealed class WebhookHealthEvents(IHealthEvents inner, WebhookPublisher publisher) : IHealthEvents
{
    public async Task RecordAsync(HealthEvent healthEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(healthEvent);
        await inner.RecordAsync(healthEvent, cancellationToken).ConfigureAwait(false);
        var identity = $"{healthEvent.Scope}|{healthEvent.At.UtcTicks}|{healthEvent.Kind}|{healthEvent.Rule}|{healthEvent.To}|{healthEvent.Evidence}";
        await publisher.PublishAsync(
            WebhookEvent.For(WebhookEventKinds.Health, identity, healthEvent.At, new Dictionary<string, object?>
            {
                ["scope"] = healthEvent.Scope,
                ["kind"] = healthEvent.Kind,
                ["rule"] = healthEvent.Rule,
                ["from"] = healthEvent.From,
                ["to"] = healthEvent.To,
                ["actor"] = healthEvent.Actor,
                ["evidence"] = healthEvent.Evidence,
            }),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<HealthEvent>> ListEventsAsync(string scope, int take, CancellationToken cancellationToken) =>
        inner.ListEventsAsync(scope, take, cancellationToken);
}
