using System.ComponentModel.DataAnnotations;

namespace EmailInfra.Core.Inbox;

/// <summary>How mailboxes are polled. Bound from the "Polling" configuration section.</summary>
public sealed class PollingOptions
{
    public const string Section = "Polling";

    /// <summary>The time between two fan-outs (keep in step with the PollSchedule timer); poll jobs are spread across it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most messages handled per folder in one poll; the rest wait for the next poll.</summary>
    [Range(1, 5000)]
    public int MaxMessagesPerFolder { get; set; } = 500;

    /// <summary>
    /// Largest message (octets, as the server reports its size) whose body is downloaded to be classified; a larger one is
    /// recorded and skipped. Bounces and reports are small; a multi-megabyte one is an attachment returned whole, or hostile.
    /// </summary>
    [Range(64 * 1024, 100 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A bounce-rules file used instead of the built-in one (same format; validated at start); empty for the built-in rules.</summary>
    public string? BounceRulesFile { get; set; }
}
