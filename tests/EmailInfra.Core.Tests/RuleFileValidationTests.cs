using EmailInfra.Core.Inbox;
using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests;

/// <summary>The rules files the settings name are loaded when the options are validated (at host start).</summary>
public class RuleFileValidationTests
{
    [Fact]
    public void NoFiles_AreTheBuiltInRules()
    {
        var validation = new RuleFileValidation();
        Assert.True(validation.Validate(null, new PollingOptions()).Succeeded);
        Assert.True(validation.Validate(null, new SendingOptions()).Succeeded);
        Assert.Same(BounceRules.Default, BounceRules.Load(null));
    }

    [Fact]
    public void AMissingOrBrokenBounceRulesFile_FailsNamingTheSettingTheFileAndTheKey()
    {
        var validation = new RuleFileValidation();
        var missing = validation.Validate(null, new PollingOptions { BounceRulesFile = "/nonexistent/rules.json" });
        Assert.True(missing.Failed);
        Assert.StartsWith("Polling:BounceRulesFile: /nonexistent/rules.json: cannot be read", missing.FailureMessage, StringComparison.Ordinal);

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"version": 3, "textRules": []}""");
            var broken = validation.Validate(null, new PollingOptions { BounceRulesFile = file });
            Assert.True(broken.Failed);
            Assert.StartsWith($"Polling:BounceRulesFile: {file}: ", broken.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("statusReasons", broken.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ABrokenLimitsFile_FailsNamingTheSetting()
    {
        var result = new RuleFileValidation().Validate(null, new SendingOptions { LimitsFile = "/nonexistent/limits.json" });
        Assert.True(result.Failed);
        Assert.StartsWith("Sending:LimitsFile: ", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidLimitsFile_IsReadWhenValidated_AndThoseLimitsServeTheSender()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                {
                  "version": 1,
                  "mailbox": { "dailyCap": 33, "minGapSeconds": 0 },
                  "pool": { "hourlyCap": 500 },
                  "defaultProvider": { "hourlyCapPerPool": 70 },
                  "providers": [],
                  "deferralRules": []
                }
                """);
            var validation = new RuleFileValidation();
            var options = new SendingOptions { LimitsFile = file };
            Assert.True(validation.Validate(null, options).Succeeded);
            File.Delete(file); // read once: what validation loaded is what the sender gets
            Assert.Equal(33, validation.SendingLimitsFor(options).Mailbox.DailyCap);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AValidBounceRulesFile_IsReadWhenValidated_AndThoseRulesServeThePoller()
    {
        var file = Path.GetTempFileName();
        try
        {
            using (var shipped = typeof(BounceRules).Assembly.GetManifestResourceStream("EmailInfra.Core.bounce-rules.json")!)
            using (var copy = File.Create(file))
            {
                shipped.CopyTo(copy);
            }

            var validation = new RuleFileValidation();
            var options = new PollingOptions { BounceRulesFile = file };
            Assert.True(validation.Validate(null, options).Succeeded);
            File.Delete(file); // read once: what validation loaded is what the poller gets
            var rules = validation.BounceRulesFor(options);
            Assert.NotSame(BounceRules.Default, rules);
            Assert.Equal(BounceRules.Default.Providers.Count, rules.Providers.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
