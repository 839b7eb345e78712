using System.Net.Http.Headers;
using EmailInfra.Core.Webhooks;

namespace EmailInfra.Infrastructure.Http;

/// <summary>Posts webhook deliveries with one shared HttpClient; redirects are not followed (a signed body goes only where it was registered).</summary>
public sealed class HttpWebhookTransport : IWebhookTransport, IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the dispatcher's token bounds each post
    };

    public async Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("EmailInfra-Webhooks", "1"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return new WebhookResponse((int)response.StatusCode, null);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResponse(null, ex.HttpRequestError + ": " + ex.Message.ReplaceLineEndings(" "));
        }
    }

    public void Dispose() => client.Dispose();
}
