using Microsoft.AspNetCore.Http;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// The dashboard's static files, embedded in this assembly at build time (with the chart library copied from npm), so the
/// page works from an installed tool, offline, with nothing fetched from a CDN.
/// </summary>
public static class DashboardFiles
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The embedded files by request path ("/", "/dashboard.js", "/vendor/chart.umd.js").</summary>
    public static IReadOnlyDictionary<string, (byte[] Content, string ContentType)> Files { get; } = Load();

    /// <summary>
    /// Answers a GET or HEAD for a dashboard file; false when the path is not one (the caller answers 404).
    /// The page talks only to its own origin unless the user points it at another API (the Functions app): hence
    /// connect-src allows https origins, and nothing else may load from elsewhere.
    /// </summary>
    public static async Task<bool> TryServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value is null or "" or "/" or "/index.html" ? "/" : context.Request.Path.Value;
        if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) || !Files.TryGetValue(path, out var file))
        {
            return false;
        }

        var headers = context.Response.Headers;
        headers.ContentType = file.ContentType;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' https:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        context.Response.ContentLength = file.Content.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(file.Content, context.RequestAborted).ConfigureAwait(false);
        }

        return true;
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var relative = name[ResourcePrefix.Length..];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(relative), "application/octet-stream");
            files[relative == "index.html" ? "/" : "/" + relative] = (copy.ToArray(), type);
        }

        return files;
    }
}
