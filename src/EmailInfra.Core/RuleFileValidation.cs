using EmailInfra.Core.Health;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core;

/// <summary>
/// Loads the rules files the settings name (sending limits, bounce rules, health rules) when the options are validated, so a file that
/// is missing or wrong stops the host at start with the file and key named, not the first send or poll that needs it.
/// The built-in rules are not loaded here: they are checked by the tests and parsed when first used.
/// </summary>
public sealed class RuleFileValidation : IValidateOptions<SendingOptions>, IValidateOptions<PollingOptions>, IValidateOptions<HealthOptions>
{
    // the files read while validating, handed to the services rather than parsed (and their regexes compiled) again
    private Loaded<SendingLimits>? limits;
    private Loaded<BounceRules>? bounceRules;
    private Loaded<HealthRules>? healthRules;
    private HealthRules? builtInHealthRules;

    public ValidateOptionsResult Validate(string? name, SendingOptions options) =>
        string.IsNullOrWhiteSpace(options.LimitsFile) ? ValidateOptionsResult.Success
            : Check($"{SendingOptions.Section}:{nameof(SendingOptions.LimitsFile)}", () => SendingLimitsFor(options));

    public ValidateOptionsResult Validate(string? name, PollingOptions options) =>
        string.IsNullOrWhiteSpace(options.BounceRulesFile) ? ValidateOptionsResult.Success
            : Check($"{PollingOptions.Section}:{nameof(PollingOptions.BounceRulesFile)}", () => BounceRulesFor(options));

    public ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        string.IsNullOrWhiteSpace(options.RulesFile) ? ValidateOptionsResult.Success
            : Check($"{HealthOptions.Section}:{nameof(HealthOptions.RulesFile)}", () => HealthRulesFor(options));

    /// <summary>The health rules the options name: the built-in ones, or the named file's (read once).</summary>
    public HealthRules HealthRulesFor(HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.RulesFile) ? builtInHealthRules ??= HealthRules.Default() : Read(ref healthRules, options.RulesFile, HealthRules.Load);
    }

    /// <summary>The sending limits the options name: the built-in ones, or the named file's (read once).</summary>
    public SendingLimits SendingLimitsFor(SendingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.LimitsFile) ? SendingLimits.Default() : Read(ref limits, options.LimitsFile, SendingLimits.Load);
    }

    /// <summary>The bounce rules the options name: the built-in ones, or the named file's (read once).</summary>
    public BounceRules BounceRulesFor(PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.BounceRulesFile) ? BounceRules.Default : Read(ref bounceRules, options.BounceRulesFile, BounceRules.Load);
    }

    private static T Read<T>(ref Loaded<T>? cache, string path, Func<string, T> load)
    {
        if (cache is { } known && known.Path == path)
        {
            return known.Value;
        }

        var value = load(path);
        cache = new Loaded<T>(path, value);
        return value;
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

    // a reference, so a reader on another thread sees a whole pair or none
    private sealed record Loaded<T>(string Path, T Value);
}
