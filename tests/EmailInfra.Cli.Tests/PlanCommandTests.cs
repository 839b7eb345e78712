namespace EmailInfra.Cli.Tests;

public class PlanCommandTests
{
    [Fact(Timeout = 60_000)]
    public async Task PlanCsv_RampsToTheTargetThenMaintains_WeekendsLighter()
    {
        using var cli = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, "plan", "--mailboxes", "5", "--days", "40", "--csv");
        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, cli.Output);
        var rows = cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Trim().Split(',')).ToList();
        Assert.Equal(40, rows.Count);
        var perMailbox = rows.Select(r => int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(rows, r => Assert.Equal(int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture) * 5, int.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(40, perMailbox);
        Assert.All(perMailbox, v => Assert.InRange(v, 1, 40));
        Assert.Equal("maintenance", rows[^1][6]);
        var weekdays = rows.Where(r => r[2] is not ("Saturday" or "Sunday") && r[6] == "ramp").Select(r => int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(weekdays.Order(), weekdays); // never shrinks on green weekdays
    }

    [Fact(Timeout = 60_000)]
    public async Task Plan_BadPolicy_ExitsTwoNamingTheKey()
    {
        using var cli = EmailInfraProcess.Start(new Dictionary<string, string?> { ["Warmup__Ramp__WeekendFactor"] = "0" }, null, "plan");
        Assert.Equal(2, await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Warmup:Ramp:WeekendFactor", cli.Output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("plan")]
    [InlineData("classify")]
    public async Task ASettingsFileThatIsNotJsonOrMissing_ExitsTwoNamingIt(string command)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "{ broken");
            string[] args = command == "classify" ? ["classify", file, "--config", file] : [command, "--config", file];
            using var broken = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, args);
            Assert.Equal(2, await broken.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"error: {file}: Could not parse the JSON file", broken.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", broken.Output, StringComparison.Ordinal);

            args[^1] = file + ".missing";
            using var missing = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, args);
            Assert.Equal(2, await missing.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"error: {file}.missing: no such settings file", missing.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
