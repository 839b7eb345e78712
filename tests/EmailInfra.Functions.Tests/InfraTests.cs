using System.Diagnostics;
using EmailInfra.Core.Jobs;
using EmailInfra.Infrastructure.Storage;

namespace EmailInfra.Functions.Tests;

/// <summary>infra/ compiles and lints cleanly offline, and deploys the settings the code reads.</summary>
public class InfraTests
{
    private static readonly string Root = FindRoot();

    [Fact(Timeout = 120_000)]
    public async Task MainBicep_BuildsAndLints_WithoutWarnings()
    {
        var output = Path.Combine(Path.GetTempPath(), $"emailinfra-bicep-{Guid.NewGuid():N}.json");
        var (buildCode, buildText) = await BicepAsync("build", Path.Combine(Root, "infra", "main.bicep"), "--outfile", output);
        Assert.True(buildCode == 0, buildText);
        Assert.DoesNotContain(": Warning", buildText, StringComparison.Ordinal);
        Assert.DoesNotContain(": Error", buildText, StringComparison.Ordinal);

        var (lintCode, lintText) = await BicepAsync("lint", Path.Combine(Root, "infra", "main.bicep"));
        Assert.True(lintCode == 0, lintText);
        Assert.DoesNotContain(": Warning", lintText, StringComparison.Ordinal);

        var template = await File.ReadAllTextAsync(output);
        File.Delete(output);
        foreach (var setting in new[]
        {
            $"{StorageOptions.ConnectionName}__accountName", $"{StorageOptions.ConnectionName}__clientId", "AzureWebJobsStorage__accountName",
            TimerSchedules.PollSchedule, "Polling__Interval", "Secrets__KeyVaultUri", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        })
        {
            Assert.Contains($"\"{setting}\"", template, StringComparison.Ordinal);
        }

        // storage only by identity; no account keys anywhere
        Assert.Contains("\"allowSharedKeyAccess\": false", template, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", template, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> BicepAsync(params string[] args)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        Assert.True(File.Exists(bicep), $"Bicep CLI not restored at {bicep}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmailInfra.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
