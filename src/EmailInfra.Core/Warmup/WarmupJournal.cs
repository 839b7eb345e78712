namespace EmailInfra.Core.Warmup;

/// <summary>
/// One mailbox's warm-up day: what was planned at its start and, once summarised, the signals seen and tomorrow's volume.
/// The latest record is the ramp state; the records together are the mailbox's warm-up history.
/// </summary>
public sealed record WarmupDayRecord
{
    public required string Mailbox { get; init; }

    public required DateOnly Day { get; init; }

    /// <summary>The ramp's base volume for the day, before the weekend factor and the cap.</summary>
    public required int BaseVolume { get; init; }

    /// <summary>Warm-up sends planned for the day.</summary>
    public required int Planned { get; init; }

    /// <summary>"planned" until summarised; then "completed", "stopped" or why nothing was planned.</summary>
    public required string Outcome { get; init; }

    public int Sent { get; init; }

    public int HardBounces { get; init; }

    public int Complaints { get; init; }

    public int PlacedInbox { get; init; }

    public int PlacedJunk { get; init; }

    /// <summary>Peers' in-thread answers received for the day's warm-up mail.</summary>
    public int Replies { get; init; }

    public DayHealth? Health { get; init; }

    /// <summary>Tomorrow's base volume, once decided.</summary>
    public int? NextVolume { get; init; }

    /// <summary>The ramp reached its target on or before this day: warm-up continues at maintenance level.</summary>
    public bool TargetReached { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Storage of warm-up days, one record per mailbox and day.</summary>
public interface IWarmupJournal
{
    Task<WarmupDayRecord?> GetAsync(string mailbox, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The most recent record before a day (looking back a few weeks), or null for a mailbox that never warmed up.</summary>
    Task<WarmupDayRecord?> LatestBeforeAsync(string mailbox, DateOnly day, CancellationToken cancellationToken);

    Task<IReadOnlyList<WarmupDayRecord>> ListAsync(string mailbox, CancellationToken cancellationToken);

    Task UpsertAsync(WarmupDayRecord record, CancellationToken cancellationToken);
}
