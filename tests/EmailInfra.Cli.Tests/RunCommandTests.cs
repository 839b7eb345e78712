using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MailKit.Search;

namespace EmailInfra.Cli.Tests;

public class RunCommandTests
{
    [Fact(Timeout = 120_000)]
    public async Task Run_ProcessesAQueuedSendAgainstTheRig_AndStopsCleanlyOnCtrlC()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("dave@beta.test");
        await rig.RegisterRigMailboxAsync("erin@gamma.test");
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest("dave@beta.test", "erin@gamma.test", SendKind.Warmup), default);

        using var cli = EmailInfraProcess.Start(Environment(rig), null, "run");
        var ledger = rig.Get<ISendLedger>();
        var sent = await Eventually.WaitAsync(() => ledger.GetAsync(entry.Key, default), e => e?.State == SendState.Sent, TimeSpan.FromSeconds(45));
        Assert.True(sent?.State == SendState.Sent, "not sent; output:\n" + cli.Output);
        Assert.NotNull(await RigMail.WaitForAsync("erin@gamma.test", SearchQuery.HeaderContains("Message-ID", sent!.MessageId!)));

        // the poll timer fires every second in this test: erin's placement gets counted by the same process
        var metrics = rig.Get<IMetricsStore>();
        var erin = await Eventually.WaitAsync(
            () => metrics.GetAsync("erin@gamma.test", DateOnly.FromDateTime(DateTime.UtcNow), default), m => m[MailboxMetric.ReceivedInbox] == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(1, erin[MailboxMetric.ReceivedInbox]);

        cli.Interrupt();
        var exit = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit code {(exit is null ? "none (still running)" : exit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}; output:\n{cli.Output}");
        Assert.Contains("emailinfra: stopped", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("dave-pw", cli.Output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("Polling__BounceRulesFile", "{\"version\": 1}", "Polling:BounceRulesFile: {0}: 'version' must be 3")]
    [InlineData("Sending__LimitsFile", "not json", "Sending:LimitsFile: {0}: not valid JSON")]
    public async Task Run_WithABrokenRulesFile_StopsAtStartNamingTheSettingAndTheFile(string setting, string content, string error)
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, content);
            using var cli = EmailInfraProcess.Start(CliEnvironment.For(rig, new Dictionary<string, string?> { [setting] = file }), null, "run");
            Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 2, cli.Output);
            Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, error, file), cli.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task MailboxAdd_BadInput_ExitsTwoWithAClearError_AndStoresNothing()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        using var cli = EmailInfraProcess.Start(
            Environment(rig), "pw", "mailbox", "add", "--address", "not-an-address", "--pool", "Bad Pool", "--smtp", "h:587", "--imap", "h:993");
        Assert.Equal(2, await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("address: must be a plain address", cli.Output, StringComparison.Ordinal);
        Assert.Contains("poolId:", cli.Output, StringComparison.Ordinal);
        Assert.Empty(await rig.Get<IMailboxStore>().ListAllAsync(default));
    }

    [Fact(Timeout = 60_000)]
    public async Task MailboxAdd_PasswordFromStdin_GoesToTheSecretStoreOnly()
    {
        Rig.Require(RigService.Azurite, RigService.Dns); // a domain's first mailbox is audited at once
        await using var rig = new RigServices();
        using var cli = EmailInfraProcess.Start(
            Environment(rig), "frank-pw", "mailbox", "add", "--address", "frank@gamma.test", "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143");
        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, cli.Output);
        var mailbox = await rig.Get<IMailboxStore>().GetAsync("rig", "frank@gamma.test", default);
        Assert.Equal(MailboxRegistry.SecretNameFor("frank@gamma.test"), mailbox!.SecretName);
        Assert.Equal("frank-pw", await rig.Get<EmailInfra.Core.Secrets.ISecretStore>().GetAsync(mailbox.SecretName, default));
        Assert.DoesNotContain("frank-pw", cli.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task MailboxAdd_FirstMailboxOfADomain_AuditsTheDomainOnce()
    {
        Rig.Require(RigService.Azurite, RigService.Dns);
        await using var rig = new RigServices();
        var history = rig.Get<EmailInfra.Core.Domains.Authentication.IAuditHistory>();
        foreach (var (address, password) in new[] { ("erin@gamma.test", "erin-pw"), ("frank@gamma.test", "frank-pw") })
        {
            using var cli = EmailInfraProcess.Start(
                Environment(rig), password, "mailbox", "add", "--address", address, "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143");
            Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, cli.Output);
            Assert.Equal(address == "erin@gamma.test", cli.Output.Contains("audited gamma.test", StringComparison.Ordinal));
        }

        var report = Assert.Single(await history.ListAsync("gamma.test", 10, default));
        Assert.Equal(EmailInfra.Core.Domains.Authentication.AuditStatus.Pass, Assert.Single(report.Findings, f => f.Check == "SPF 127.0.0.1").Status);
        Assert.Equal(EmailInfra.Core.Domains.Authentication.AuditStatus.Pass, Assert.Single(report.Findings, f => f.Check == "DMARC").Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task MailboxTest_ReportsEachStep_ExitsOneOnARefusedPassword_AndAddRefusesAPrimaryDomainUnlessForced()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        var env = Environment(rig);
        await rig.RegisterRigMailboxAsync("frank@gamma.test", "rig");
        using (var ok = EmailInfraProcess.Start(env, null, "mailbox", "test", "--address", "frank@gamma.test"))
        {
            Assert.True(await ok.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, ok.Output);
            Assert.Contains("smtp auth", ok.Output, StringComparison.Ordinal);
            Assert.Contains("imap junk", ok.Output, StringComparison.Ordinal);
            Assert.Contains("every step passed", ok.Output, StringComparison.Ordinal);
        }

        await rig.RegisterRigMailboxAsync("erin@gamma.test", "rig", password: "wrong-password");
        using (var refused = EmailInfraProcess.Start(env, null, "mailbox", "test", "--address", "erin@gamma.test"))
        {
            Assert.True(await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 1, refused.Output);
            Assert.Contains("FAIL smtp auth", refused.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password", refused.Output, StringComparison.Ordinal);
        }

        env["Domains__Primary__0"] = "alpha.test";
        using (var primary = EmailInfraProcess.Start(env, "alice-pw", "mailbox", "add", "--address", "alice@alpha.test", "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143"))
        {
            Assert.True(await primary.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 2, primary.Output);
            Assert.Contains("primary business domain", primary.Output, StringComparison.Ordinal);
        }

        using var forced = EmailInfraProcess.Start(env, "alice-pw", "mailbox", "add", "--address", "alice@alpha.test", "--pool", "rig", "--smtp", "127.0.0.1:2587", "--imap", "127.0.0.1:2143", "--force", "--test");
        Assert.True(await forced.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, forced.Output);
        Assert.Contains("every step passed", forced.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment(RigServices rig) => CliEnvironment.For(rig, new Dictionary<string, string?>
    {
        ["PollSchedule"] = "* * * * * *",
        ["Polling__Interval"] = "00:00:01",
        ["LocalQueues__MaxPollingInterval"] = "00:00:00.500",
    });
}
