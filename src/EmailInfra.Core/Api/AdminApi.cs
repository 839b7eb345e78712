using System.Text.Json;
using EmailInfra.Core.Domains;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Api;

/// <summary>
/// The admin API: every area's routes, matched and handled the same way in both hosts. Bad input of any kind becomes a
/// problem+json 4xx naming the field; only a failure of the system itself (storage down) is a 5xx.
/// </summary>
public sealed partial class AdminApi(IEnumerable<IApiEndpoints> areas, ILogger<AdminApi> logger)
{
    /// <summary>The largest body any route reads (a bulk import of a few thousand mailboxes fits); a larger one is a 413.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly IReadOnlyList<ApiRoute> routes = areas.SelectMany(a => a.Routes).ToList();

    public IReadOnlyList<ApiRoute> Routes => routes;

    public ApiRoute? Find(string name) => routes.FirstOrDefault(r => r.Name == name);

    /// <summary>The route for a method and path; null with <paramref name="methodAllowed"/> false when the path exists under another method.</summary>
    public ApiRoute? Match(string method, string path, out Dictionary<string, string> values, out bool methodAllowed)
    {
        ApiRoute? best = null;
        values = [];
        var pathKnown = false;
        foreach (var route in routes.OrderByDescending(r => r.LiteralSegments))
        {
            if (!route.TryMatch(path, out var found))
            {
                continue;
            }

            pathKnown = true;
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                best = route;
                values = found;
                break;
            }
        }

        methodAllowed = best is not null || !pathKnown;
        return best;
    }

    /// <summary>Runs the route's handler; what it refuses becomes a problem response.</summary>
    public async Task<ApiResponse> HandleAsync(ApiRoute route, ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await route.Handle(request, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException ex)
        {
            return Problem(400, "Invalid request", "One or more fields are invalid.", request, ex.Errors);
        }
        catch (ApiException ex)
        {
            return Problem(ex.Status, ex.Title, ex.Message, request);
        }
        catch (PrimaryDomainException ex)
        {
            return Problem(409, "Primary business domain", ex.Message, request);
        }
        catch (JsonException)
        {
            return Problem(400, "Invalid request", "The body is not valid JSON.", request);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failure of the system, never of the input: logged with its type, answered without internals.
            Failed(logger, ex, route.Name);
            return Problem(503, "Unavailable", "The request could not be completed now (storage or a server did not answer); it is safe to retry.", request);
        }
    }

    public static ApiResponse Problem(int status, string title, string detail, ApiRequest? request = null, IReadOnlyDictionary<string, string[]>? errors = null) =>
        ApiResponse.Problem(new ApiProblem(ProblemType(status), title, status, detail) { Errors = errors, Instance = request?.Path });

    private static string ProblemType(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#status.400",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#status.401",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#status.404",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#status.405",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#status.409",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#status.413",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#status.415",
        _ => "about:blank",
    };

    [LoggerMessage(7001, LogLevel.Error, "Admin API {Route} failed")]
    private static partial void Failed(ILogger logger, Exception exception, string route);
}
