using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace EmailInfra.Cli.LocalMode;

/// <summary>Starts Azurite for local mode when storage is the embedded default and nothing answers on its ports.</summary>
public sealed class LocalAzurite : IAsyncDisposable
{
    private readonly Process? process;

    private LocalAzurite(Process? process, string? path, string? dataDir)
    {
        this.process = process;
        Path = path;
        DataDir = dataDir;
    }

    public string? Path { get; }

    public string? DataDir { get; }

    public bool Started => process is not null;

    public static async Task<LocalAzurite> EnsureRunningAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var usesDefault = string.Equals(configuration["EmailInfraStorage"], LocalConfiguration.DevelopmentStorage, StringComparison.Ordinal);
        if (!usesDefault || !string.Equals(configuration["Local:StartAzurite"], "true", StringComparison.OrdinalIgnoreCase)
            || await LocalPaths.AnswersAsync(10002, cancellationToken))
        {
            return new LocalAzurite(null, null, null);
        }

        var path = configuration["Local:AzuritePath"] ?? Find()
            ?? throw new InvalidOperationException(
                "nothing answers on 127.0.0.1:10000-10002 and no Azurite was found; install it with "
                + $"'npm install --prefix {UserTools} azurite', or set Local:AzuritePath, or set EmailInfraStorage to a storage account");
        var dataDir = configuration["Local:AzuriteData"]
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".emailinfra", "azurite");
        Directory.CreateDirectory(dataDir);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--location", dataDir,
            "--blobHost", "127.0.0.1", "--blobPort", "10000", "--queueHost", "127.0.0.1", "--queuePort", "10001",
            "--tableHost", "127.0.0.1", "--tablePort", "10002",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100 && !await LocalPaths.AnswersAsync(10002, cancellationToken); i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} on start.");
            }

            await Task.Delay(100, cancellationToken);
        }

        return new LocalAzurite(process, path, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }

    /// <summary>Where a user installs tools for emailinfra outside any repository: ~/.emailinfra/tools (npm --prefix).</summary>
    public static string UserTools { get; } =
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".emailinfra", "tools");

    /// <summary>
    /// Azurite in the repository's tools/azurite above the working or the app's folder (a build run from a clone), then
    /// in <see cref="UserTools"/>, then on PATH: a published emailinfra runs from anywhere, so the repository cannot be assumed.
    /// </summary>
    private static string? Find() =>
        Locate([Environment.CurrentDirectory, AppContext.BaseDirectory], UserTools, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>The search of <see cref="Find"/> over the given starting folders, user tools folder and PATH.</summary>
    public static string? Locate(IEnumerable<string> starts, string userTools, string? path)
    {
        if (LocalPaths.FindAbove(starts, System.IO.Path.Combine("tools", "azurite", "node_modules", ".bin", "azurite")) is { } inClone)
        {
            return inClone;
        }

        var user = System.IO.Path.Combine(userTools, "node_modules", ".bin", "azurite");
        if (File.Exists(user))
        {
            return user;
        }

        return (path ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "azurite"))
            .FirstOrDefault(File.Exists);
    }
}
