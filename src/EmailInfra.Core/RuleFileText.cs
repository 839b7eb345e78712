using System.Text.Json;

namespace EmailInfra.Core;

/// <summary>What every JSON rules file shares: the built-in copy read from the assembly, and parsing that names the file on a syntax error.</summary>
internal static class RuleFileText
{
    /// <summary>The text of an embedded rules file (its logical name in EmailInfra.Core.csproj).</summary>
    public static string Embedded(string resource)
    {
        using var stream = typeof(RuleFileText).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded {resource["EmailInfra.Core.".Length..]} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The root element of a rules file; comments and trailing commas allowed, as people edit these by hand.</summary>
    public static JsonElement Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }
}
