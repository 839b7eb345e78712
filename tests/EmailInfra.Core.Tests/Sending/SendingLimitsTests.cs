using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests.Sending;

public class SendingLimitsTests
{
    [Fact]
    public void Default_LoadsAndClassifiesTheBigProvidersByMx()
    {
        var limits = SendingLimits.Default();
        Assert.Equal("google", limits.ProviderOf(["aspmx.l.google.com", "alt1.aspmx.l.google.com"]));
        Assert.Equal("microsoft", limits.ProviderOf(["contoso-com.mail.protection.outlook.com."]));
        Assert.Equal("yahoo", limits.ProviderOf(["mta5.am0.yahoodns.net"]));
        Assert.Equal("other", limits.ProviderOf(["mx.example.org"]));
        Assert.Equal("other", limits.ProviderOf(["notgoogle.com"]));
        Assert.True(limits.ProviderHourlyCap("google") < limits.Pool.HourlyCap);
    }

    [Theory]
    [InlineData(421, "421 4.7.0 [TS01] Messages from 1.2.3.4 temporarily deferred due to unexpected volume", "rate-limited")]
    [InlineData(450, "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages", null)]
    [InlineData(451, "451 Try again later, too many connections", "too-many")]
    [InlineData(550, "550 5.7.1 rejected", null)]
    public void DeferralFor_MatchesRateLimitSignalsOnly(int code, string reply, string? rule) =>
        Assert.Equal(rule, SendingLimits.Default().DeferralFor(code, reply)?.Name);

    [Theory]
    [InlineData("{\"version\":1}", "'mailbox' must be an object")]
    [InlineData("{\"version\":2}", "'version' must be a whole number from 1 to 1")]
    [InlineData("not json", "not valid JSON")]
    public void Parse_BadFile_FailsNamingTheKey(string json, string message)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SendingLimits.Parse(json, "limits.json"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadValueDeepInside_NamesThePath()
    {
        var json = SendingLimitsJson().Replace("\"dailyCap\": 40", "\"dailyCap\": 0", StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => SendingLimits.Parse(json, "limits.json"));
        Assert.Contains("'mailbox.dailyCap'", ex.Message, StringComparison.Ordinal);

        var badRegex = SendingLimitsJson().Replace("\\\\b4\\\\.7", "(unclosed", StringComparison.Ordinal);
        Assert.Contains("deferralRules[0].textPattern", Assert.Throws<InvalidOperationException>(() => SendingLimits.Parse(badRegex, "x")).Message, StringComparison.Ordinal);
    }

    private static string SendingLimitsJson()
    {
        using var stream = typeof(SendingLimits).Assembly.GetManifestResourceStream("EmailInfra.Core.sending-limits.json")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
