namespace EmailInfra.Core.Tests.Domains;

/// <summary>Finds ../shared/corpora (read-only real-world data) from the test's folder, or EMAILINFRA_CORPORA.</summary>
internal static class SharedCorpora
{
    public static string Path(string relative)
    {
        var root = Environment.GetEnvironmentVariable("EMAILINFRA_CORPORA");
        if (string.IsNullOrEmpty(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "shared", "corpora");
                if (Directory.Exists(candidate))
                {
                    root = candidate;
                    break;
                }
            }
        }

        var path = System.IO.Path.Combine(root ?? "(not found)", relative);
        Assert.True(root is not null && (File.Exists(path) || Directory.Exists(path)), $"corpus {relative} not found: set EMAILINFRA_CORPORA to the shared/corpora folder");
        return path;
    }
}
