using System.Text.Json;

namespace EmailInfra.Cli.Tests;

/// <summary>`emailinfra classify`: one JSON line per result, over files, folders and mbox files.</summary>
public class ClassifyCommandTests
{
    [Fact(Timeout = 60_000)]
    public async Task ClassifyJson_FolderWithAnMboxAndAMessage_OneLinePerResultNumberedPerFile()
    {
        var folder = Directory.CreateTempSubdirectory("classify-");
        try
        {
            static string Bounce(string recipient) => $"""
                From: MAILER-DAEMON@relay.test
                To: alice@alpha.test
                Subject: Undelivered Mail Returned to Sender

                <{recipient}>: host mx.remote.test[192.0.2.1] said: 552 5.2.2 <{recipient}>: Mailbox full (in reply to RCPT TO command)

                """;
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "box.mbox"),
                "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n" + Bounce("one@remote.test") + "From MAILER-DAEMON  Thu Jul  2 12:07:05 2020\n" + Bounce("two@remote.test"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "hello.eml"), "From: bob@remote.test\nTo: alice@alpha.test\nSubject: lunch?\n\nHi\n");

            using var cli = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, "classify", folder.FullName, "--json");
            Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, cli.Output);
            var lines = cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var rows = lines.Select(l => (File: l.GetProperty("file").GetString(), Index: l.GetProperty("index").GetInt32(), Kind: l.GetProperty("kind").GetString(), Recipient: l.GetProperty("recipient").GetString(), Reason: l.GetProperty("reason").GetString()))
                .OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Index).ToList();
            Assert.Equal(
                [("box.mbox", 1, "bounce", "one@remote.test", "mailboxfull"), ("box.mbox", 2, "bounce", "two@remote.test", "mailboxfull"), ("hello.eml", 0, "other", "", "")],
                rows);
            Assert.All(lines.Where(l => l.GetProperty("kind").GetString() == "bounce"), l => Assert.Equal(("5.2.2", "552", false), (l.GetProperty("status").GetString(), l.GetProperty("replycode").GetString(), l.GetProperty("hardbounce").GetBoolean())));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Classify_MissingFile_ExitsTwoNamingIt()
    {
        using var cli = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, "classify", "/nonexistent/nowhere.eml");
        Assert.Equal(2, await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("/nonexistent/nowhere.eml", cli.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Classify_WithARulesFile_UsesItsProviderTable_AndABrokenOneExitsTwoNamingItsKey()
    {
        var folder = Directory.CreateTempSubdirectory("classify-rules-");
        try
        {
            // the built-in rules with one more provider: its own code 7001 means a full mailbox
            using var shipped = typeof(EmailInfra.Core.Inbox.BounceRules).Assembly.GetManifestResourceStream("EmailInfra.Core.bounce-rules.json")!;
            var rules = System.Text.Json.Nodes.JsonNode.Parse(shipped)!.AsObject();
            rules["providers"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""
                {"name": "Example Mail", "source": "https://example.test/codes", "hosts": ["example.test"], "rules": [{"reason": "mailboxfull", "patterns": ["\\bEX-7001\\b"]}]}
                """));
            var rulesFile = Path.Combine(folder.FullName, "rules.json");
            await File.WriteAllTextAsync(rulesFile, rules.ToJsonString());
            var bounce = Path.Combine(folder.FullName, "bounce.eml");
            await File.WriteAllTextAsync(bounce, """
                From: MAILER-DAEMON@relay.test
                To: alice@alpha.test
                Subject: Undelivered Mail Returned to Sender

                <neko@example.test>: host mx.example.test[192.0.2.1] said: 550 5.0.0 Refused EX-7001 (in reply to RCPT TO command)

                """);

            async Task<string?> ReasonAsync(params string[] extra)
            {
                using var cli = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, ["classify", bounce, "--json", .. extra]);
                Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, cli.Output);
                return JsonDocument.Parse(cli.Output.Split('\n').First(l => l.StartsWith('{'))).RootElement.GetProperty("reason").GetString();
            }

            Assert.Equal("onhold", await ReasonAsync());
            Assert.Equal("mailboxfull", await ReasonAsync("--rules", rulesFile));

            rules["providers"]![0]!["hosts"] = new System.Text.Json.Nodes.JsonArray();
            await File.WriteAllTextAsync(rulesFile, rules.ToJsonString());
            using var broken = EmailInfraProcess.Start(new Dictionary<string, string?>(), null, "classify", bounce, "--rules", rulesFile);
            Assert.Equal(2, await broken.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"{rulesFile}: providers[0].hosts must list host names", broken.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
