using EmailInfra.Core.Inbox;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core;

/// <summary>
/// Loads the rules files the settings name (sending limits, bounce rules) when the options are validated, so a file that
/// is missing or wrong stops the host at start with the file and key named, not the first send or poll that needs it.
/// The built-in rules are not loaded here: they are checked by the tests and parsed when first used.
/// </summary>
public sealed class RuleFileValidation : IValidateOptions<SendingOptions>, IValidateOptions<PollingOptions>
{
    // the bounce rules read while validating, handed to the poller rather than parsed (and compiled) a second time
    private (string Path, BounceRules Rules)? loaded;

    public ValidateOptionsResult Validate(string? name, SendingOptions options) =>
        string.IsNullOrWhiteSpace(options.LimitsFile) ? ValidateOptionsResult.Success
            : Check($"{SendingOptions.Section}:{nameof(SendingOptions.LimitsFile)}", () => SendingLimits.Load(options.LimitsFile));

    public ValidateOptionsResult Validate(string? name, PollingOptions options) =>
        string.IsNullOrWhiteSpace(options.BounceRulesFile) ? ValidateOptionsResult.Success
            : Check($"{PollingOptions.Section}:{nameof(PollingOptions.BounceRulesFile)}", () => BounceRulesFor(options));

    /// <summary>The bounce rules the options name: the built-in ones, or the named file's (read once).</summary>
    public BounceRules BounceRulesFor(PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BounceRulesFile))
        {
            return BounceRules.Default;
        }

        if (loaded is { } known && known.Path == options.BounceRulesFile)
        {
            return known.Rules;
        }

        var rules = BounceRules.Load(options.BounceRulesFile);
        loaded = (options.BounceRulesFile, rules);
        return rules;
    }

    private static ValidateOptionsResult Check(string key, Action load)
    {
        try
        {
            load();
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"{key}: {ex.Message}");
        }
    }
}
