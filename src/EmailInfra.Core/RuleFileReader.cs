using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmailInfra.Core;

/// <summary>
/// Reads the values of a JSON rules file (sending limits, health rules) with the checks every such file needs, and fails
/// naming the file and the key at fault ("rules.json: 'rules[2].windowDays' must be a number from 1 to 30").
/// Keys are paths ("providers[1].mxSuffixes"); the property read is the path's last part.
/// </summary>
internal sealed class RuleFileReader(string source)
{
    public InvalidOperationException Error(string key, string message) => new($"{source}: '{key}' {message}");

    public JsonElement Object(JsonElement parent, string key) =>
        parent.TryGetProperty(Leaf(key), out var value) && value.ValueKind == JsonValueKind.Object ? value : throw Error(key, "must be an object");

    public List<JsonElement> Array(JsonElement parent, string key) =>
        parent.TryGetProperty(Leaf(key), out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : throw Error(key, "must be an array");

    /// <summary>A non-blank string; <paramref name="missing"/> is the message when it is absent or blank (default: must be a non-empty string).</summary>
    public string String(JsonElement parent, string key, string? missing = null) =>
        parent.TryGetProperty(Leaf(key), out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } s && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw Error(key, missing ?? "must be a non-empty string");

    public int Int(JsonElement parent, string key, int min, int max) =>
        parent.TryGetProperty(Leaf(key), out var value) && value.TryGetInt32(out var n) && n >= min && n <= max ? n : throw Error(key, $"must be a whole number from {min} to {max}");

    public double Number(JsonElement parent, string key, double min, double max) =>
        parent.TryGetProperty(Leaf(key), out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() is var n && n >= min && n <= max
            ? n
            : throw Error(key, string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}"));

    public static bool Has(JsonElement parent, string key) => parent.TryGetProperty(Leaf(key), out _);

    public Regex Regex(JsonElement parent, string key)
    {
        var pattern = String(parent, key);
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException ex)
        {
            throw Error(key, "is not a valid regular expression: " + ex.Message);
        }
    }

    public T Enum<T>(JsonElement parent, string key)
        where T : struct, System.Enum =>
        parent.TryGetProperty(Leaf(key), out var value) ? EnumOf<T>(value, key) : throw Error(key, "is required");

    /// <summary>A member of <typeparamref name="T"/> by name (any case), never by number.</summary>
    public T EnumOf<T>(JsonElement value, string key)
        where T : struct, System.Enum =>
        value.ValueKind == JsonValueKind.String && System.Enum.TryParse<T>(value.GetString(), ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value.GetString(), out _)
            ? parsed
            : throw Error(key, "must be one of " + string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])));

    public static string Leaf(string key) => key[(key.LastIndexOfAny(['.', ']']) + 1)..];
}
