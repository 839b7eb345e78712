using EmailInfra.Cli.LocalMode;

namespace EmailInfra.Cli.Tests;

/// <summary>Where a built or installed emailinfra finds Azurite when it does not run from a clone of the repository.</summary>
public sealed class LocalAzuriteTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "emailinfra-tests", "azurite-find-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Locate_OutsideAnyRepository_FindsTheUserToolsInstall_ThenPath_ElseNothing()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(root, "somewhere", "else")).FullName;
        var userTools = Path.Combine(root, "home", ".emailinfra", "tools");
        var onPath = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;

        Assert.Null(LocalAzurite.Locate([elsewhere], userTools, onPath));

        var pathAzurite = Touch(Path.Combine(onPath, "azurite"));
        Assert.Equal(pathAzurite, LocalAzurite.Locate([elsewhere], userTools, "/nonexistent" + Path.PathSeparator + onPath));

        var userAzurite = Touch(Path.Combine(userTools, "node_modules", ".bin", "azurite"));
        Assert.Equal(userAzurite, LocalAzurite.Locate([elsewhere], userTools, onPath));

        // a clone's tools/azurite above the working folder comes first
        var cloneAzurite = Touch(Path.Combine(root, "somewhere", "tools", "azurite", "node_modules", ".bin", "azurite"));
        Assert.Equal(cloneAzurite, LocalAzurite.Locate([elsewhere], userTools, onPath));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string Touch(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "#!/bin/sh\n");
        return file;
    }
}
