namespace EmailInfra.Core.Webhooks;

/// <summary>Posts one signed delivery; the status code, or the error when there was no answer.</summary>
public interface IWebhookTransport
{
    Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}
