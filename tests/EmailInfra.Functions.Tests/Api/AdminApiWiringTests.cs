using System.Text.Json;
using System.Text.Json.Nodes;
using EmailInfra.Core.Api;
using EmailInfra.Testing;

namespace EmailInfra.Functions.Tests.Api;

/// <summary>
/// The admin API is defined once (Core's route table) and served by both hosts: the Functions app must have one HTTP function
/// per route, under the route's name, method and template, with function-key auth (the probe alone anonymous); the checked-in
/// OpenAPI document must be the one the route table writes.
/// </summary>
public class AdminApiWiringTests
{
    public static readonly IReadOnlyList<ApiRoute> Routes = LoadRoutes();

    private static IReadOnlyList<ApiRoute> LoadRoutes()
    {
        var rig = new RigServices();
        return rig.Get<AdminApi>().Routes;
    }

    private static IEnumerable<JsonElement> HttpFunctions() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"))).RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "httpTrigger"));

    [Fact]
    public void EveryRoute_HasItsHttpFunction_SameNameMethodAndTemplate_KeyAuthExceptTheProbe()
    {
        var functions = HttpFunctions().ToDictionary(f => f.GetProperty("name").GetString()!, StringComparer.Ordinal);
        Assert.Equal(Routes.Select(r => r.Name).Order(StringComparer.Ordinal), functions.Keys.Order(StringComparer.Ordinal));
        foreach (var route in Routes)
        {
            var bindings = functions[route.Name].GetProperty("bindings").EnumerateArray().ToList();
            var trigger = bindings.Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(route.Template, trigger.GetProperty("route").GetString());
            Assert.Equal([route.Method.ToLowerInvariant()], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
            Assert.Equal(route.Anonymous ? "Anonymous" : "Function", trigger.GetProperty("authLevel").GetString());
            Assert.Equal(route.UsesOrchestrations, bindings.Any(b => b.GetProperty("type").GetString() == "durableClient"));
        }
    }

    [Fact]
    public void CheckedInOpenApiDocument_IsTheOneTheRoutesWrite_AndNamesExactlyTheFunctionsRoutes()
    {
        var written = OpenApiDocument.Write(Routes);
        var path = Path.Combine(RepoRoot(), "docs", "openapi.json");
        Assert.True(File.Exists(path) && File.ReadAllText(path) == written, "docs/openapi.json is out of date: regenerate it with `dotnet run --project src/EmailInfra.Cli -- openapi > docs/openapi.json`");

        var document = JsonNode.Parse(written)!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key} {p.Key}"))
            .Order(StringComparer.Ordinal);
        var functions = HttpFunctions()
            .Select(f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .Select(t => $"{t.GetProperty("methods")[0].GetString()!.ToLowerInvariant()} /api/{t.GetProperty("route").GetString()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(functions, operations);
        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        Assert.All(document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()), o => Assert.NotNull(o.Value!["operationId"]));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmailInfra.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
