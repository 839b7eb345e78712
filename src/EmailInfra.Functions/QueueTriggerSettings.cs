using EmailInfra.Core.Jobs;
using Microsoft.Extensions.Configuration;

namespace EmailInfra.Functions;

/// <summary>The app settings the queue triggers bind (%SendJobsQueue% …), checked before the app starts.</summary>
public static class QueueTriggerSettings
{
    public static readonly IReadOnlyList<string> All = [QueueNames.SendJobsSetting, QueueNames.OutboundJobsSetting, QueueNames.PollJobsSetting, QueueNames.WebhookJobsSetting];

    /// <summary>Throws, naming the setting, when one is missing: the producers would otherwise fall back to another name than the trigger's.</summary>
    public static void Require(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var missing = All.Where(s => string.IsNullOrWhiteSpace(configuration[s])).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"App setting(s) {string.Join(", ", missing)} not set: each names the queue its trigger listens on and the producers write to (e.g. SendJobsQueue=send-jobs; see local.settings.json.example).");
        }
    }
}
