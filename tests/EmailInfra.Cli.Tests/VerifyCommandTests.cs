using EmailInfra.Core.Reputation;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests;

public class VerifyCommandTests
{
    [Fact(Timeout = 60_000)]
    public async Task Verify_ContactList_WritesOnlyInvalidRowsWithReasons()
    {
        Rig.Require(RigService.Azurite, RigService.Dns);
        await using var rig = new RigServices();
        await rig.Get<ISuppressionList>().AddAsync("dave@beta.test", "complaint", "test", default);
        var dir = Directory.CreateTempSubdirectory("verify-");
        var input = Path.Combine(dir.FullName, "contacts.csv");
        await File.WriteAllTextAsync(input,
            "name,Email,company\n" +
            "Carol,carol@beta.test,Beta\n" +
            "\"Doe, Jane\",jane@nomx.alpha.test,A-fallback\n" +
            "Null,x@nullmx.alpha.test,NullMX\n" +
            "Ghost,x@nosuch.alpha.test,Gone\n" +
            "Typo,bad..dots@alpha.test,Syntax\n" +
            "Dave,dave@beta.test,Suppressed\n");

        using var cli = EmailInfraProcess.Start(CliEnvironment.For(rig), null, "verify", input);
        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(45)) == 0, cli.Output);
        Assert.Contains("6 checked, 2 valid, 4 invalid", cli.Output, StringComparison.Ordinal);

        var lines = await File.ReadAllLinesAsync(Path.Combine(dir.FullName, "contacts.invalid.csv"));
        Assert.Equal("name,Email,company,reason", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Null,x@nullmx.alpha.test,NullMX,", StringComparison.Ordinal) && l.Contains("null MX", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Ghost,", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Typo,", StringComparison.Ordinal) && l.Contains("dots", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Dave,", StringComparison.Ordinal) && l.EndsWith(",suppressed", StringComparison.Ordinal));
        dir.Delete(true);
    }
}
