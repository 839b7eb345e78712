using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace EmailInfra.Core.Api;

/// <summary>
/// Writes the OpenAPI 3.1 document of the admin API from its route table: paths, parameters, bodies (schemas from the very
/// types the handlers read and write, through System.Text.Json's schema exporter), problem responses and the key schemes.
/// The document is served at /api/openapi.json and checked in as docs/openapi.json; a test keeps the two and the routes equal.
/// </summary>
public static class OpenApiDocument
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(IReadOnlyList<ApiRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new JsonObject();
        foreach (var group in routes.GroupBy(r => r.Template))
        {
            var item = new JsonObject();
            foreach (var route in group)
            {
                item[route.Method.ToLowerInvariant()] = Operation(route, schemas);
            }

            paths["/api/" + group.Key] = item;
        }

        var components = new JsonObject
        {
            ["schemas"] = new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
            ["securitySchemes"] = new JsonObject
            {
                ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
            },
        };
        components["schemas"]!["Problem"] = Schema(typeof(ApiProblem));
        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "EmailInfra admin API",
                ["version"] = "1",
                ["description"] = "Domains, mailboxes, sending pools, warm-up, outbound mail, audits, health, metrics and suppressions. Errors are application/problem+json (RFC 9457). See docs/api.md.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "the Functions app, or emailinfra run at http://127.0.0.1:7071" }),
            ["security"] = new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() }),
            ["paths"] = paths,
            ["components"] = components,
        };
        return document.ToJsonString(Indented) + "\n";
    }

    private static JsonObject Operation(ApiRoute route, SortedDictionary<string, JsonNode> schemas)
    {
        var parameters = new JsonArray();
        foreach (var name in route.RouteParameters)
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var q in route.Query)
        {
            parameters.Add(new JsonObject { ["name"] = q.Name, ["in"] = "query", ["required"] = false, ["description"] = q.Description, ["schema"] = new JsonObject { ["type"] = q.Type } });
        }

        if (route.Conditional)
        {
            parameters.Add(new JsonObject { ["name"] = "If-Match", ["in"] = "header", ["required"] = false, ["description"] = "The ETag read; a changed resource answers 409", ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
            ["tags"] = new JsonArray(route.Tag),
        };
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.RequestBody is { } body)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = route.Name != "RunAudit",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(body, schemas) } },
            };
        }
        else if (route.RequestContentType == "text/csv")
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["text/csv"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
            };
        }

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = route.SuccessStatus == 204 ? "Done" : "OK" };
        if (route.ResponseBody is { } response)
        {
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(response, schemas) } };
        }
        else if (route.Name == "GetOpenApi")
        {
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } };
        }

        responses[route.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        foreach (var (status, text) in Problems(route))
        {
            responses[status] = new JsonObject
            {
                ["description"] = text,
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
            };
        }

        operation["responses"] = responses;
        if (route.Anonymous)
        {
            operation["security"] = new JsonArray();
        }

        return operation;
    }

    private static IEnumerable<(string Status, string Text)> Problems(ApiRoute route)
    {
        if (route.Anonymous)
        {
            yield break;
        }

        yield return ("400", "A field is invalid (errors names each)");
        yield return ("401", "No key, or a wrong one");
        if (route.RouteParameters.Count > 0)
        {
            yield return ("404", "Not found");
        }

        if (route.Method is "POST" or "PUT" or "DELETE")
        {
            yield return ("409", "Conflict: exists already, changed since read (If-Match), in use, or a primary business domain");
        }

        if (route.RequestBody is not null || route.RequestContentType != "application/json")
        {
            yield return ("413", "The body is over 1 MiB");
            yield return ("415", "The body is not of the media type the route reads");
        }
    }

    private static JsonObject Reference(Type type, SortedDictionary<string, JsonNode> schemas)
    {
        var name = Name(type);
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = Schema(type);
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }

    private static JsonNode Schema(Type type) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(ApiJson.Options, type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });

    private static string Name(Type type)
    {
        if (type.IsGenericType)
        {
            var outer = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return (outer == "IReadOnlyList" ? "ListOf" : outer + "Of") + string.Concat(type.GetGenericArguments().Select(Name));
        }

        return type.Name;
    }
}
