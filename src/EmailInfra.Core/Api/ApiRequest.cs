using Microsoft.DurableTask.Client;

namespace EmailInfra.Core.Api;

/// <summary>One admin API request as both hosts hand it over: route values, query, the headers that matter, and the body (already size-checked).</summary>
public sealed class ApiRequest
{
    public required string Method { get; init; }

    /// <summary>The path under the API's prefix, as sent (still URL-encoded), e.g. "/domains/example.com".</summary>
    public required string Path { get; init; }

    public IReadOnlyDictionary<string, string> Route { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>The If-Match header, when sent.</summary>
    public string? IfMatch { get; init; }

    public string? ContentType { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Who is acting, for the records an override leaves: the X-EmailInfra-Actor header, else "api".</summary>
    public string Actor { get; init; } = "api";

    /// <summary>The Durable Task client of the host (warm-up routes raise orchestration events through it).</summary>
    public DurableTaskClient? Orchestrations { get; init; }

    public string RouteValue(string name) =>
        Route.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The route has no {{{name}}}.");

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;
}
