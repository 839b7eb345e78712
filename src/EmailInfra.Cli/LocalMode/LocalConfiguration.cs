using Microsoft.Extensions.Configuration;

namespace EmailInfra.Cli.LocalMode;

/// <summary>Configuration of the emailinfra command: embedded defaults, then emailinfra.json, then environment variables.</summary>
/// <remarks>Keys are the Functions app settings (e.g. EmailInfraStorage, PollSchedule, Polling__Interval), so one set of names serves both hosts.</remarks>
public static class LocalConfiguration
{
    /// <summary>The well-known Azurite development account on its default loopback ports.</summary>
    public const string DevelopmentStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>What --verbose adds: EmailInfra's debug entries and the frameworks' information (Kestrel, Durable Task, the Azure SDK).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Verbose = new Dictionary<string, string?>
    {
        ["Local:Verbose"] = "true",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:EmailInfra"] = "Debug",
        ["Logging:LogLevel:Microsoft.DurableTask"] = "Information",
        ["Logging:LogLevel:DurableTask"] = "Information",
        ["Logging:LogLevel:Azure"] = "Information",
        ["Logging:LogLevel:Microsoft.Hosting"] = "Information",
    };

    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["EmailInfraStorage"] = DevelopmentStorage,
        ["PollSchedule"] = "0 */5 * * * *",
        ["WarmupSchedule"] = "0 */5 * * * *",
        ["AuditSchedule"] = "0 0 6 * * *",
        ["HealthSchedule"] = "0 */15 * * * *",
        ["SweepSchedule"] = "0 */15 * * * *",

        ["Logging:LogLevel:Microsoft.DurableTask"] = "Warning",
        ["Logging:LogLevel:DurableTask"] = "Warning",
        ["Local:StartAzurite"] = "true",
        ["Local:DataDir"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".emailinfra"),
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Azure"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting"] = "Warning",
    };

    /// <summary>The configuration; a settings file that is missing (when named) or not JSON is a <see cref="LocalConfigurationException"/>.</summary>
    /// <remarks><paramref name="mode"/> holds what a mode of the command sets (the demo's short days, --verbose's levels): above the defaults and the file, below the environment, so one variable can still change any of it.</remarks>
    public static IConfigurationRoot Build(string? file = null, IReadOnlyDictionary<string, string?>? mode = null)
    {
        var path = Path.GetFullPath(file ?? "emailinfra.json");
        try
        {
            return new ConfigurationBuilder()
                .AddInMemoryCollection(Defaults)
                .AddJsonFile(path, optional: file is null)
                .AddInMemoryCollection(mode ?? new Dictionary<string, string?>())
                .AddEnvironmentVariables()
                .Build();
        }
        catch (FileNotFoundException ex)
        {
            throw new LocalConfigurationException($"{path}: no such settings file", ex);
        }
        catch (InvalidDataException ex)
        {
            // "Failed to load configuration from file" wraps "Could not parse the JSON file", which wraps where and why
            var parse = ex.InnerException ?? ex;
            var where = parse.InnerException is { } reader ? " " + reader.Message : string.Empty;
            throw new LocalConfigurationException($"{path}: {parse.Message}{where}", ex);
        }
    }
}

/// <summary>A settings file the command cannot use: the command stops with this message, not a stack trace.</summary>
public sealed class LocalConfigurationException(string message, Exception inner) : Exception(message, inner);
