using System.Reflection;

namespace EmailInfra.Core.Api;

/// <summary>The unauthenticated health probe, and the API's OpenAPI document.</summary>
public sealed class SystemEndpoints(IServiceProvider services) : IApiEndpoints
{
    private static readonly string Version = typeof(SystemEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("Ping", "GET", "ping", "Health probe: answers without a key and says nothing about the fleet", (_, _) => Task.FromResult(ApiResponse.Ok(new ProbeView("ok", Version))))
        {
            Tag = "System", ResponseBody = typeof(ProbeView), Anonymous = true,
        },
        new("GetOpenApi", "GET", "openapi.json", "This API's OpenAPI 3 document", (_, _) =>
            Task.FromResult(new ApiResponse(200, null) { Text = OpenApiDocument.Write(((AdminApi)services.GetService(typeof(AdminApi))!).Routes) }))
        {
            Tag = "System",
        },
    ];
}
