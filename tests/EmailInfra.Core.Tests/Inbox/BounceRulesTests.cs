using System.Text.Json.Nodes;
using EmailInfra.Core.Inbox;

namespace EmailInfra.Core.Tests.Inbox;

/// <summary>The rules file is validated when loaded: a wrong version, stage or pattern names its key.</summary>
public class BounceRulesTests
{
    private static JsonObject Shipped()
    {
        using var stream = typeof(BounceRules).Assembly.GetManifestResourceStream("EmailInfra.Core.bounce-rules.json")!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    [Fact]
    public void ShippedRules_Load()
    {
        var rules = BounceRules.Parse(Shipped().ToJsonString(), "shipped");
        Assert.Equal(3, rules.Version);
        Assert.Contains(rules.StageRules, r => r.Command == "DATA" && r.From.Contains("userunknown") && r.To == "filtered");
    }

    [Fact]
    public void AnOlderVersion_IsRefused()
    {
        var json = Shipped();
        json["version"] = 1;
        Assert.Contains("'version' must be 3", Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryShippedPattern_PromisesAWord()
    {
        // a pattern whose necessary words cannot be read (a backreference, say) runs on every text the rules judge,
        // skipped by no word filter; the shipped rules keep every pattern filterable
        Assert.Empty(BounceRules.Default.PatternsRunOnEveryText);
    }

    [Theory]
    [InlineData("(?i)message rejected as spam", true)]
    [InlineData(@"(?i)RESOLVER\.ADR\.RecipNotFound", true)] // escaped punctuation is still a phrase
    [InlineData(@"(?i)sorry, that domain isn't in my list of allowed rcpthosts", true)]
    [InlineData(@"(?i)\bspam\b", false)]
    [InlineData("(?i)user (unknown|not found)", false)]
    [InlineData("(?i)mailbox.*full", false)]
    [InlineData(@"(?i)invalid recipient\s", false)]
    public void APhrase_IsToldFromAPattern(string pattern, bool phrase) =>
        Assert.Equal(phrase, BounceRules.IsPhrase(pattern));

    [Theory]
    [InlineData("command", "QUIT", "custom.json: stageRules[0].command must be one of CONN, HELO, MAIL, RCPT, DATA or NONE")]
    [InlineData("whenStatus", @"^5\.7\.(1", "custom.json: stageRules[0].whenStatus is not a valid regular expression")]
    [InlineData("unlessStatus", "[5", "custom.json: stageRules[0].unlessStatus is not a valid regular expression")]
    public void ABrokenStageRule_NamesItsKey(string field, string value, string message)
    {
        var json = Shipped();
        json["stageRules"]![0]![field] = value;
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenPattern_NamesItsKey()
    {
        var json = Shipped();
        json["textRules"]![2]!["patterns"]![0] = "(unclosed";
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith("custom.json: textRules[2].patterns[0] is not a valid regular expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStageHint_NamesItsKeyAndKeepsToItsHosts()
    {
        var json = Shipped();
        json["stageHints"] = new JsonArray(
            new JsonObject { ["command"] = "RCPT", ["pattern"] = "(?i)mailbox unavailable", ["host"] = @"(?i)(^|\.)hotmail\." },
            new JsonObject { ["command"] = "RCPT", ["pattern"] = "(?i)address couldn't be found" });
        var rules = BounceRules.Parse(json.ToJsonString(), "custom.json");
        Assert.Equal("RCPT", rules.StageHintFor("550 Requested action not taken: mailbox unavailable", "hotmail.com", null));
        Assert.Equal("RCPT", rules.StageHintFor("550 Requested action not taken: mailbox unavailable", "example.org", "mx1.hotmail.com"));
        Assert.Null(rules.StageHintFor("550 Requested action not taken: mailbox unavailable", "example.org", "mx.example.org"));
        Assert.Equal("RCPT", rules.StageHintFor("because the address couldn't be found", "example.org", null));
        Assert.Null(rules.StageHintFor("550 User unknown", "example.org", null));

        json["stageHints"]![1]!["command"] = "NONE";
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith("custom.json: stageHints[1].command must be one of CONN, HELO, MAIL, RCPT, DATA", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docomo.ne.jp", true)]
    [InlineData("mfsmax.docomo.ne.jp", true)]
    [InlineData("MFSMAX.DoCoMo.ne.jp.", true)]
    [InlineData("notdocomo.ne.jp", false)]
    [InlineData("docomo.ne.jp.example.test", false)]
    [InlineData("ne.jp", false)]
    public void AProvider_ServesItsHostsAndTheNamesUnderThem(string host, bool serves)
    {
        // DOCOMO's table reads "550 Unknown user" at the end of DATA as its reception filter; no other table does
        var rules = BounceRules.Parse(Shipped().ToJsonString(), "shipped");
        Assert.Equal(serves ? "rejected" : null, rules.ProviderReason("550 Unknown user neko@docomo.ne.jp", "5.0.0", "DATA", [host]));
    }

    [Fact]
    public void AProviderRule_AppliesOnlyToItsHostsStageAndStatus()
    {
        var json = Shipped();
        json["providers"] = new JsonArray(new JsonObject
        {
            ["name"] = "Example",
            ["source"] = "https://example.test/error-codes",
            ["hosts"] = new JsonArray("mx.example.test"),
            ["rules"] = new JsonArray(
                new JsonObject { ["reason"] = "rejected", ["command"] = "DATA", ["patterns"] = new JsonArray("(?i)unknown user") },
                new JsonObject { ["reason"] = "blocked", ["status"] = @"^5\.7\.", ["patterns"] = new JsonArray("(?i)access denied") }),
        });
        var rules = BounceRules.Parse(json.ToJsonString(), "custom.json");
        Assert.Equal("rejected", rules.ProviderReason("550 Unknown user", "5.0.0", "DATA", ["a.mx.example.test"]));
        Assert.Null(rules.ProviderReason("550 Unknown user", "5.0.0", "RCPT", ["a.mx.example.test"]));
        Assert.Null(rules.ProviderReason("550 Unknown user", "5.0.0", "DATA", ["example.test", null]));
        Assert.Equal("blocked", rules.ProviderReason("550 5.7.1 Access denied", "5.7.1", null, ["MX.Example.Test."]));
        Assert.Null(rules.ProviderReason("550 5.4.1 Access denied", "5.4.1", null, ["mx.example.test"]));
    }

    [Theory]
    [InlineData("hosts", "[\"*.example.test\"]", "custom.json: providers[0].hosts must list host names")]
    [InlineData("hosts", "[]", "custom.json: providers[0].hosts must list host names")]
    [InlineData("source", "\"\"", "custom.json: providers[0].source must say where")]
    [InlineData("rules", "[{\"reason\": \"blocked\", \"command\": \"QUIT\", \"patterns\": [\"x\"]}]", "custom.json: providers[0].rules[0].command must be one of")]
    [InlineData("rules", "[{\"reason\": \"blocked\", \"patterns\": [\"(unclosed\"]}]", "custom.json: providers[0].rules[0].patterns[0] is not a valid regular expression")]
    [InlineData("rules", "[{\"reason\": \"blocked\", \"patterns\": []}]", "custom.json: providers[0].rules[0].patterns must list at least one pattern")]
    public void ABrokenProvider_NamesItsKey(string key, string value, string message)
    {
        var json = Shipped();
        json["providers"]![0]![key] = JsonNode.Parse(value);
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("statusReasons", null, "custom.json: 'statusReasons' is missing")]
    [InlineData("stageRules", 0, "custom.json: stageRules[0].to is missing")]
    [InlineData("providers", 0, "custom.json: providers[0].hosts is missing")]
    public void AMissingKey_IsNamed(string section, int? index, string message)
    {
        var json = Shipped();
        if (index is null)
        {
            json.Remove(section);
        }
        else
        {
            json[section]![index.Value]!.AsObject().Remove(section == "providers" ? "hosts" : "to");
        }

        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.Equal(message, error.Message);
    }
}
