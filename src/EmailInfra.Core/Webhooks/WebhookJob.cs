using EmailInfra.Core.Jobs;

namespace EmailInfra.Core.Webhooks;

/// <summary>Queue contract: attempt one delivery (the body is in the delivery row, never in the message). Version 1.</summary>
public sealed record WebhookJob(int V, string EndpointId, string EventId) : IJob
{
    public const int Version = 1;

    public static WebhookJob Parse(string text)
    {
        var job = JobSerializer.Deserialize<WebhookJob>(text, Version);
        if (string.IsNullOrWhiteSpace(job.EndpointId) || string.IsNullOrWhiteSpace(job.EventId))
        {
            throw new MalformedJobException("WebhookJob needs endpointId and eventId");
        }

        return job;
    }
}
