using System.Diagnostics;

namespace EmailInfra.Cli.Tests;

/// <summary>The emailinfra command packs as a .NET tool, installs from a local folder and runs from any folder.</summary>
public sealed class DotnetToolTests
{
    [Fact]
    public async Task PacksInstallsAndRunsFromAnotherFolder()
    {
        var repo = Repository();
        var work = Directory.CreateTempSubdirectory("emailinfra-tool-").FullName;
        var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // the suite built the solution in Debug: pack that build, as `dotnet pack` does after a build. A version of its own,
            // so NuGet's package cache cannot hand back an earlier run's package
            await RunAsync("dotnet", repo, "pack", Path.Combine(repo, "src", "EmailInfra.Cli", "EmailInfra.Cli.csproj"), "--no-build", "-c", "Debug", "-o", Path.Combine(work, "pkg"), "-nologo", "-p:PackageVersion=" + version);
            await RunAsync("dotnet", work, "tool", "install", "--tool-path", Path.Combine(work, "tool"), "EmailInfra.Cli", "--version", version, "--add-source", Path.Combine(work, "pkg"));

            // from a folder with nothing of the repository in it
            var elsewhere = Directory.CreateDirectory(Path.Combine(work, "elsewhere")).FullName;
            var document = await RunAsync(Path.Combine(work, "tool", "emailinfra"), elsewhere, "openapi");
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(repo, "docs", "openapi.json")), document);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            var cached = Path.Combine(
                Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                "emailinfra.cli",
                version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmailInfra.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository was not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> RunAsync(string file, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
