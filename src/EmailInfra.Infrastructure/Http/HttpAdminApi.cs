using System.Security.Cryptography;
using System.Text;
using EmailInfra.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure.Http;

/// <summary>
/// Serves the admin API over ASP.NET Core's HttpContext, the same way in both hosts: the Functions app calls it from one HTTP
/// function per route (the host checks the function key), local mode for every request under /api (checking Api:Key itself,
/// sent as Functions keys are: the x-functions-key header or the code query parameter).
/// </summary>
public sealed class HttpAdminApi(AdminApi api, IOptions<ApiOptions> options)
{
    public const string Prefix = "/api";

    /// <summary>Local mode: matches the route, checks the key, handles the request.</summary>
    public async Task ServeAsync(HttpContext context, DurableTaskClient? orchestrations)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        if (!path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, AdminApi.Problem(404, "Not found", "The admin API is under /api/ (its document: /api/openapi.json).")).ConfigureAwait(false);
            return;
        }

        var route = api.Match(context.Request.Method, path[Prefix.Length..], out var values, out var methodAllowed);
        if (route is null)
        {
            await WriteAsync(context, methodAllowed
                ? AdminApi.Problem(404, "Not found", "No route of the admin API has this path (see /api/openapi.json).")
                : AdminApi.Problem(405, "Method not allowed", $"This path does not take {Shorten(context.Request.Method)}.")).ConfigureAwait(false);
            return;
        }

        if (!route.Anonymous && !KeyMatches(context.Request))
        {
            await WriteAsync(context, AdminApi.Problem(401, "Unauthorized", "Send the API key (Api:Key) in the x-functions-key header or the code query parameter.")).ConfigureAwait(false);
            return;
        }

        await ServeAsync(context, route, values, orchestrations).ConfigureAwait(false);
    }

    /// <summary>The Functions host: the function named the route; the host has checked the key.</summary>
    public Task ServeAsync(HttpContext context, string routeName, DurableTaskClient? orchestrations)
    {
        ArgumentNullException.ThrowIfNull(context);
        var route = api.Find(routeName) ?? throw new InvalidOperationException($"No admin API route is named {routeName}.");
        return route.TryMatch(PathUnderPrefix(context.Request), out var values)
            ? ServeAsync(context, route, values, orchestrations)
            : WriteAsync(context, AdminApi.Problem(404, "Not found", "The path does not fit the route."));
    }

    private static string PathUnderPrefix(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        return path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? path[Prefix.Length..] : path;
    }

    /// <summary>Reads the body and hands the request to the route matched (once) by the caller.</summary>
    private async Task ServeAsync(HttpContext context, ApiRoute route, Dictionary<string, string> values, DurableTaskClient? orchestrations)
    {
        var request = context.Request;
        var path = PathUnderPrefix(request);

        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, AdminApi.Problem(413, "Content too large", $"The body is over {AdminApi.MaxBodyBytes} bytes.")).ConfigureAwait(false);
            return;
        }

        var apiRequest = new ApiRequest
        {
            Method = request.Method,
            Path = Prefix + path,
            Route = values,
            Query = request.Query.Where(q => q.Key != "code").ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            IfMatch = request.Headers.IfMatch.Count > 0 ? request.Headers.IfMatch.ToString() : null,
            ContentType = body.Length > 0 ? request.ContentType : null,
            Body = body,
            Actor = request.Headers.TryGetValue("X-EmailInfra-Actor", out var actor) && actor.Count > 0 ? actor.ToString() : "api",
            Orchestrations = orchestrations,
        };
        await WriteAsync(context, await api.HandleAsync(route, apiRequest, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private bool KeyMatches(HttpRequest request)
    {
        var expected = options.Value.Key;
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }

        var given = request.Headers.TryGetValue("x-functions-key", out var header) && header.Count > 0 ? header.ToString()
            : request.Query.TryGetValue("code", out var code) ? code.ToString() : string.Empty;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>
    /// The body, or null when it is over the limit. The rest of an oversized body is read and dropped (up to
    /// <see cref="DrainLimit"/>), so the client finishes sending and reads the 413 instead of a broken connection.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > DrainLimit)
            {
                return null;
            }

            if (total <= AdminApi.MaxBodyBytes)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return total > AdminApi.MaxBodyBytes ? null : buffer.ToArray();
    }

    /// <summary>How much of an oversized body is read to answer it cleanly; the local server refuses anything larger outright.</summary>
    public const int DrainLimit = 16 * 1024 * 1024;

    private static async Task WriteAsync(HttpContext context, ApiResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.Headers.CacheControl = "no-store";
        if (response.ETag is { } etag)
        {
            http.Headers.ETag = etag;
        }

        if (response.Location is { } location)
        {
            http.Headers.Location = Prefix + "/" + location;
        }

        if (response.Status == 204)
        {
            return;
        }

        http.ContentType = response.ContentType;
        if (response.Text is { } text)
        {
            await http.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await http.Body.WriteAsync(ApiJson.Write(response.Body), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Shorten(string value) => value.Length > 16 ? value[..16] : value;
}
