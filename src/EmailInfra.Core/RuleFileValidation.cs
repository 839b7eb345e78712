using EmailInfra.Core.Inbox;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core;

/// <summary>
/// Loads the rules files the settings name (sending limits, bounce rules) when the options are validated, so a file that
/// is missing or wrong stops the host at start with the file and key named, not the first send or poll that needs it.
/// </summary>
public sealed class RuleFileValidation : IValidateOptions<SendingOptions>, IValidateOptions<PollingOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingOptions options) =>
        Check($"{SendingOptions.Section}:{nameof(SendingOptions.LimitsFile)}", () => SendingLimits.Load(options.LimitsFile));

    public ValidateOptionsResult Validate(string? name, PollingOptions options) =>
        Check($"{PollingOptions.Section}:{nameof(PollingOptions.BounceRulesFile)}", () => BounceRules.Load(options.BounceRulesFile));

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
