using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmailInfra.Core.Api;

/// <summary>The API's JSON: camelCase, enums as camelCase strings, unknown fields and nulls in non-nullable fields refused.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 16,
        NumberHandling = JsonNumberHandling.Strict, // "587" is a string, not a port
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(), // the schema exporter needs it set
    };

    /// <summary>Reads the body as <typeparamref name="T"/>; anything else is a 400 naming the field (415 for a body that is not JSON at all).</summary>
    public static T Read<T>(ApiRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { } type && !IsJson(type))
        {
            throw new ApiException(415, "Unsupported media type", $"The body must be application/json, not {Shorten(type)}.");
        }

        if (request.Body.IsEmpty)
        {
            throw new InvalidRequestException("body", "a JSON body is required");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(request.Body.Span, Options) ?? throw new InvalidRequestException("body", "must be a JSON object, not null");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            throw new InvalidRequestException(field, Describe(ex));
        }
    }

    public static byte[] Write(object? value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    // System.Text.Json's messages name .NET types and byte positions; a client needs what is wrong, in its terms.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has the wrong type or an unknown value";
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal) || message.Contains("unmapped", StringComparison.OrdinalIgnoreCase))
        {
            return "is not a field of this request";
        }

        if (message.Contains("missing required properties", StringComparison.OrdinalIgnoreCase) || message.Contains("required", StringComparison.OrdinalIgnoreCase))
        {
            return "misses a required field: " + Shorten(message.Split(':').Last().Split('.')[0].Trim());
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase))
        {
            return "must not be null";
        }

        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return "is nested too deeply";
        }

        return "is not valid JSON";
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
