using EmailInfra.Core.Api;
using EmailInfra.Infrastructure.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// The admin API and the dashboard in local mode: Kestrel on Api:Url (loopback by default) serving the same routes as the Functions app, through
/// the same handlers; the key is Api:Key. Without a key the API stays off (it can change every mailbox), and says so.
/// </summary>
public sealed partial class LocalApiServer(HttpAdminApi api, IOptions<ApiOptions> options, IServiceProvider services, ILogger<LocalApiServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? app;

    /// <summary>The address Kestrel bound (with the port it chose when Api:Url asks for port 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.Key))
        {
            Off(logger);
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // one line per request is the framework's; the host's own log says what matters
        builder.WebHost.UseUrls(options.Value.Url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = HttpAdminApi.DrainLimit; // up to it, a body over 1 MiB gets a 413 problem from the adapter
        });
        app = builder.Build();
        var client = services.GetService<DurableTaskClient>();
        // the dashboard's files at the root, the admin API under /api (its 404s and 401s are problem+json)
        app.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments(HttpAdminApi.Prefix, StringComparison.Ordinal) || !await DashboardFiles.TryServeAsync(context).ConfigureAwait(false))
            {
                await api.ServeAsync(context, client).ConfigureAwait(false);
            }
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Urls.FirstOrDefault() ?? options.Value.Url;
        Address = new Uri(bound);
        Listening(logger, bound);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(7101, LogLevel.Information, "Dashboard at {Url}/, admin API under /api (key: Api:Key; document: /api/openapi.json)")]
    private static partial void Listening(ILogger logger, string url);

    [LoggerMessage(7102, LogLevel.Warning, "Admin API off: set Api:Key (or the Api__Key environment variable) to serve it")]
    private static partial void Off(ILogger logger);
}
