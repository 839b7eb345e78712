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
        Assert.Equal(2, rules.Version);
        Assert.Contains(rules.StageRules, r => r.Command == "DATA" && r.From.Contains("userunknown") && r.To == "filtered");
    }

    [Fact]
    public void AnOlderVersion_IsRefused()
    {
        var json = Shipped();
        json["version"] = 1;
        Assert.Contains("'version' must be 2", Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownStage_NamesItsKey()
    {
        var json = Shipped();
        json["stageRules"]![0]!["command"] = "QUIT";
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith("custom.json: stageRules[0].command must be one of CONN, HELO, MAIL, RCPT, DATA or NONE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenPattern_NamesItsKey()
    {
        var json = Shipped();
        json["textRules"]![2]!["patterns"]![0] = "(unclosed";
        var error = Assert.Throws<InvalidOperationException>(() => BounceRules.Parse(json.ToJsonString(), "custom.json"));
        Assert.StartsWith("custom.json: textRules[2].patterns[0] is not a valid regular expression", error.Message, StringComparison.Ordinal);
    }
}
