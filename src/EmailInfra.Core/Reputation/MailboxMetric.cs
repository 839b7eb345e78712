namespace EmailInfra.Core.Reputation;

/// <summary>Per-mailbox daily counters; the signals health rules and the ramp read.</summary>
public enum MailboxMetric
{
    /// <summary>Emails this mailbox handed to its SMTP server and saw accepted.</summary>
    Sent,

    /// <summary>This mailbox's mail that a peer found in its inbox.</summary>
    PlacedInbox,

    /// <summary>This mailbox's mail that a peer found in its junk folder.</summary>
    PlacedJunk,

    /// <summary>Peer warm-up mail this mailbox received in its inbox.</summary>
    ReceivedInbox,

    /// <summary>Peer warm-up mail this mailbox received in its junk folder.</summary>
    ReceivedJunk,

    /// <summary>Receivers' verdicts on this mailbox's warm-up mail (Authentication-Results): authentication as receivers see it.</summary>
    SpfPass,
    SpfFail,
    DkimPass,
    DkimFail,
    DmarcPass,
    DmarcFail,

    /// <summary>Peer warm-up mail this mailbox took out of its junk folder.</summary>
    Rescued,

    /// <summary>Received messages that could not be parsed: recorded and skipped.</summary>
    Malformed,

    /// <summary>Received messages recorded and skipped unclassified: over the size limit, or their handling failed (the log names each by folder and UID).</summary>
    Unprocessed,

    /// <summary>Feedback reports received about mail the ledger does not hold: recorded, nothing suppressed or counted against a sender.</summary>
    UnlinkedComplaints,

    HardBounces,
    SoftBounces,
    Complaints,
    Replies,
    AutoReplies,

    /// <summary>Peers' in-thread answers to this mailbox's warm-up mail.</summary>
    WarmupReplies,

    /// <summary>Sends whose connection broke in flight with no way to tell whether they arrived: recorded, never sent again.</summary>
    Unverified,
}

/// <summary>One mailbox's counters for one day, with their breakdowns (see <see cref="MetricBreakdown"/>).</summary>
public sealed record DailyMetrics(string Mailbox, DateOnly Day, IReadOnlyDictionary<MailboxMetric, long> Counts)
{
    /// <summary>Counts of a metric by a dimension, keyed as <see cref="MetricBreakdown"/> names them (e.g. sent to each recipient provider).</summary>
    public IReadOnlyDictionary<string, long> Breakdown { get; init; } = new Dictionary<string, long>();

    public long this[MailboxMetric metric] => Counts.TryGetValue(metric, out var n) ? n : 0;
}

/// <summary>Daily metrics with exactly-once counting: each event is counted under a key, and a key counts once.</summary>
public interface IMetricsStore
{
    /// <summary>Adds one to the metric unless an event with this key was already counted for the mailbox and day, under any metric; returns whether it counted.</summary>
    /// <remarks>The marker and the increment are written in one atomic batch, so a crash can neither lose nor double a count.</remarks>
    Task<bool> CountOnceAsync(string mailbox, DateOnly day, MailboxMetric metric, string eventKey, CancellationToken cancellationToken) =>
        CountOnceAsync(mailbox, day, metric, eventKey, [], cancellationToken);

    /// <summary>As above, and adds one to each breakdown (<see cref="MetricBreakdown"/> keys) in the same write: the event counts once for all of them.</summary>
    Task<bool> CountOnceAsync(string mailbox, DateOnly day, MailboxMetric metric, string eventKey, IReadOnlyList<string> breakdowns, CancellationToken cancellationToken);

    Task<DailyMetrics> GetAsync(string mailbox, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The mailbox's days from <paramref name="first"/> to <paramref name="last"/> (inclusive) that have any count, oldest first.</summary>
    Task<IReadOnlyList<DailyMetrics>> GetRangeAsync(string mailbox, DateOnly first, DateOnly last, CancellationToken cancellationToken);
}
