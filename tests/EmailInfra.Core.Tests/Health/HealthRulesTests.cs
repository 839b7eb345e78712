using EmailInfra.Core.Health;

namespace EmailInfra.Core.Tests.Health;

public class HealthRulesTests
{
    [Fact]
    public void Default_Loads_EveryRuleHasASource()
    {
        var rules = HealthRules.Default();
        Assert.Equal(1, rules.Version);
        Assert.True(rules.Rules.Count >= 10);
        Assert.All(rules.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.InRange(rules.LongestWindow, 1, 30);
    }

    [Theory]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"rate","scopes":["mailbox"],"windowDays":7,"numerator":["Complaints"],"denominator":["Sent"],"minimumSample":10,"pauseAt":0.1}]}""", "'rules[0].source' is required")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"rate","scopes":["mailbox"],"source":"s","windowDays":7,"numerator":["Complaints"],"denominator":["Sent"],"minimumSample":10,"throttleAt":0.3,"pauseAt":0.1}]}""", "must rise in that order")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"rate","scopes":["mailbox"],"source":"s","windowDays":7,"numerator":["Complaint"],"denominator":["Sent"],"minimumSample":10,"pauseAt":0.1}]}""", "'rules[0].numerator[0]' must be one of")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"rate","scopes":["mailbox"],"source":"s","windowDays":90,"numerator":["Complaints"],"denominator":["Sent"],"minimumSample":10,"pauseAt":0.1}]}""", "'rules[0].windowDays' must be a number from 1 to 30")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"audit","scopes":["domain"],"source":"s","checkPattern":"^SPF","action":"retire"}]}""", "only an operator retires")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"audit","scopes":["domain"],"source":"s","checkPattern":"(","action":"pause"}]}""", "'rules[0].checkPattern' is not a valid regular expression")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"connection","scopes":["mailbox"],"source":"s","status":"CredentialsRefused","action":"pause","pauseAt":0.1}]}""", "'rules[0].pauseAt' is not a setting of a Connection rule")]
    [InlineData("""{"version":2,"minimumHoldHours":24,"clearRatio":0.5,"rules":[]}""", "'version'")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"providerReasons","scopes":["mailbox"],"source":"s","windowDays":1,"reasons":["blocked"],"minimumSample":5,"throttleAt":0.1}]}""", "its scope is pool")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"providerRate","scopes":["pool"],"source":"s","windowDays":7,"numerator":["Complaints"],"denominator":["Sent"],"minimumSample":5,"throttleAt":0.1}]}""", "Complaints is not counted by provider")]
    [InlineData("""{"version":1,"minimumHoldHours":24,"clearRatio":0.5,"rules":[{"id":"x","kind":"providerRate","scopes":["domain"],"source":"s","windowDays":7,"numerator":["PlacedJunk"],"denominator":["PlacedInbox"],"minimumSample":5,"throttleAt":0.1}]}""", "a providerRate rule throttles a pool towards a provider: its scope is pool")]
    public void Parse_BadFile_FailsNamingTheKey(string json, string expected)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => HealthRules.Parse(json, "rules.json"));
        Assert.StartsWith("rules.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
