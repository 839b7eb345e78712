using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmailInfra.Cli.LocalMode;
using EmailInfra.Core.Api;
using EmailInfra.Core.Warmup;
using EmailInfra.Infrastructure.Http;
using EmailInfra.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Tests.Api;

/// <summary>
/// Local mode's admin API on a free loopback port over the rig's Azurite (its own table prefix), with a Durable Task engine
/// for the warm-up routes: the same Kestrel server and handlers `emailinfra run` serves.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    public const string Key = "test-key-0123456789";

    private readonly LocalApiServer server;
    private readonly DurableTaskTestHost? durable;

    private ApiServer(RigServices rig, LocalApiServer server, DurableTaskTestHost? durable, HttpClient client)
    {
        Rig = rig;
        this.server = server;
        this.durable = durable;
        Client = client;
    }

    public RigServices Rig { get; }

    /// <summary>Sends the key in x-functions-key, as a Functions client does.</summary>
    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<ApiServer> StartAsync(IDictionary<string, string?>? settings = null, bool withDurable = false)
    {
        EmailInfra.Testing.Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var all = new Dictionary<string, string?> { ["Api:Key"] = Key, ["Api:Url"] = "http://127.0.0.1:0", ["Domains:Primary:0"] = "company.test" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var rig = new RigServices(all);
        DurableTaskTestHost? durable = null;
        if (withDurable)
        {
            var service = rig.Get<WarmupDayService>();
            for (var attempt = 1; durable is null; attempt++)
            {
                try
                {
                    durable = await DurableTaskTestHost.StartAsync(
                        r => r.AddWarmupTasks(),
                        new DurableTaskTestHostOptions { LoggerFactory = NullLoggerFactory.Instance, ConfigureServices = s => s.AddSingleton(service) });
                }
                catch (IOException ex) when (attempt < 5 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                {
                }
            }
        }

        var services = new DurableClientServices(rig.Services, durable?.Client);
        var server = new LocalApiServer(rig.Get<HttpAdminApi>(), rig.Get<IOptions<ApiOptions>>(), services, NullLogger<LocalApiServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", Key);
        return new ApiServer(rig, server, durable, client);
    }

    public Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, Encoding.UTF8, "application/json")
                : JsonContent.Create(body, options: ApiJson.Options);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostCsvAsync(string path, string csv) =>
        Client.PostAsync(path, new StringContent(csv, Encoding.UTF8, new MediaTypeHeaderValue("text/csv")));

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    /// <summary>Asserts the status and a problem+json body, and returns the body.</summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["title"]?.GetValue<string>()));
        return body;
    }

    public static string Rows(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await server.StopAsync(CancellationToken.None);
        await server.DisposeAsync();
        if (durable is not null)
        {
            await durable.DisposeAsync();
        }

        await Rig.DisposeAsync();
    }

    /// <summary>The rig's services, with the test engine's client as the host's Durable client.</summary>
    private sealed class DurableClientServices(IServiceProvider inner, DurableTaskClient? client) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(DurableTaskClient) ? client : inner.GetService(serviceType);
    }
}
