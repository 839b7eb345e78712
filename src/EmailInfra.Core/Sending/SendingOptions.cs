using System.ComponentModel.DataAnnotations;

namespace EmailInfra.Core.Sending;

/// <summary>Retry behaviour of the send path. Bound from the "Sending" configuration section.</summary>
public sealed class SendingOptions
{
    public const string Section = "Sending";

    /// <summary>Temporary (4xx) refusals before a send is given up and marked failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles with each further try.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the retry delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a row may stay "sending" before a redelivered job looks for its Message-ID and decides.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one send may take from its claim to the server's last reply (connect, login, envelope, data). It must stay well
    /// inside <see cref="SendingLease"/> (at most half of it), so no other worker takes over a row whose send is still in flight.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan SendDeadline { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>
    /// How long a row left "sending" is looked for while the mail servers that would show it cannot be reached; after that it
    /// is recorded unverified, never sent again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LookupPatience { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Tries to store the copy of a sent message in the sender's Sent folder (servers that do not keep one themselves).</summary>
    [Range(1, 20)]
    public int SentCopyTries { get; set; } = 6;

    /// <summary>
    /// How long a send waits out an outage that kept it from reaching its server at all (DNS not answering, connection
    /// refused), deferred with a growing delay, before the row fails. <see cref="MaxAttempts"/> counts the server's 4xx replies.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OutagePatience { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long after its due time an unfinished row with no job is queued again by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StrandedAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a send waiting for a paused mailbox is looked at again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InactiveRecheck { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Tries after which the host moves a job to the poison queue (host.json maxDequeueCount).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>A JSON file of pacing and caps replacing the built-in sending-limits.json.</summary>
    public string? LimitsFile { get; set; }

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * factor, RetryMaxDelay.Ticks));
        return delay;
    }
}
