using System.Globalization;

namespace EmailInfra.Core.Warmup;

/// <summary>How a mailbox's warm-up volume grows, and the health gates that hold it or step it back. Section "Warmup:Ramp".</summary>
/// <remarks>
/// Defaults follow what inbox providers reward: a small start (2/day), steady growth (+2/day) to a target (40/day), lighter
/// weekends (not zero: silence is also a signal), about a third of warm-up mail answered, and growth only on clean days.
/// </remarks>
public sealed class RampPolicy
{
    public const string Section = "Warmup:Ramp";

    /// <summary>Warm-up emails on the first day.</summary>
    public int StartVolume { get; set; } = 2;

    /// <summary>Added per green day that leads into a working day (the base holds over the weekend).</summary>
    public int DailyIncrement { get; set; } = 2;

    /// <summary>Daily warm-up volume at which the ramp is complete.</summary>
    public int Target { get; set; } = 40;

    /// <summary>Warm-up volume kept once the target is reached, while outbound takes over the rest of the cap.</summary>
    public int MaintenanceVolume { get; set; } = 10;

    /// <summary>The most a mailbox sends in a day, warm-up and outbound together.</summary>
    public int DailyCap { get; set; } = 40;

    /// <summary>Multiplier of Saturday and Sunday volume (lower, never zero).</summary>
    public double WeekendFactor { get; set; } = 0.5;

    /// <summary>Share of warm-up mail that the receiving peer answers in-thread.</summary>
    public double ReplyRate { get; set; } = 0.35;

    /// <summary>Hard-bounce rate at which the ramp holds (amber) and steps back (red).</summary>
    public double HardBounceAmber { get; set; } = 0.02;

    public double HardBounceRed { get; set; } = 0.05;

    /// <summary>Complaint rate at which the ramp holds and steps back.</summary>
    public double ComplaintAmber { get; set; } = 0.001;

    public double ComplaintRed { get; set; } = 0.003;

    /// <summary>Share of warm-up mail placed in junk at which the ramp holds and steps back.</summary>
    public double JunkAmber { get; set; } = 0.10;

    public double JunkRed { get; set; } = 0.25;

    /// <summary>Fraction of the volume kept after a red day.</summary>
    public double StepBackFactor { get; set; } = 0.5;

    /// <summary>Throws with the offending key (under <paramref name="section"/>) when a value makes no sense; called at start.</summary>
    public RampPolicy Validate(string section = Section)
    {
        Require(StartVolume is >= 1 and <= 1000, nameof(StartVolume), "must be 1-1000");
        Require(DailyIncrement is >= 0 and <= 100, nameof(DailyIncrement), "must be 0-100");
        Require(Target >= StartVolume && Target <= 1000, nameof(Target), $"must be at least StartVolume ({StartVolume}) and at most 1000");
        Require(MaintenanceVolume >= 0 && MaintenanceVolume <= Target, nameof(MaintenanceVolume), $"must be 0 to Target ({Target})");
        Require(DailyCap >= Target, nameof(DailyCap), $"must be at least Target ({Target})");
        Require(WeekendFactor is > 0 and <= 1, nameof(WeekendFactor), "must be above 0 and at most 1 (lower on weekends, never silent)");
        Require(ReplyRate is >= 0 and <= 1, nameof(ReplyRate), "must be 0-1");
        Require(StepBackFactor is > 0 and < 1, nameof(StepBackFactor), "must be between 0 and 1");
        Require(HardBounceAmber > 0 && HardBounceAmber < HardBounceRed && HardBounceRed <= 1, nameof(HardBounceRed), "amber must be above 0 and below red, red at most 1");
        Require(ComplaintAmber > 0 && ComplaintAmber < ComplaintRed && ComplaintRed <= 1, nameof(ComplaintRed), "amber must be above 0 and below red, red at most 1");
        Require(JunkAmber > 0 && JunkAmber < JunkRed && JunkRed <= 1, nameof(JunkRed), "amber must be above 0 and below red, red at most 1");
        return this;

        void Require(bool ok, string key, string message)
        {
            if (!ok)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{section}:{key} {message}"));
            }
        }
    }
}

/// <summary>A day's health as the ramp sees it.</summary>
public enum DayHealth
{
    Green,
    Amber,
    Red,
}

/// <summary>Yesterday's signals of one mailbox that gate tomorrow's volume.</summary>
public sealed record DaySignals(int Sent, int HardBounces, int Complaints, int PlacedInbox, int PlacedJunk);

/// <summary>The ramp: tomorrow's warm-up volume from today's and the day's health.</summary>
public static class Ramp
{
    public static DayHealth HealthOf(DaySignals day, RampPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(policy);
        var sent = Math.Max(day.Sent, 1);
        var placed = day.PlacedInbox + day.PlacedJunk;
        var bounce = (double)day.HardBounces / sent;
        var complaint = (double)day.Complaints / sent;
        var junk = placed == 0 ? 0 : (double)day.PlacedJunk / placed;
        if (bounce >= policy.HardBounceRed || complaint >= policy.ComplaintRed || junk >= policy.JunkRed)
        {
            return DayHealth.Red;
        }

        return bounce >= policy.HardBounceAmber || complaint >= policy.ComplaintAmber || junk >= policy.JunkAmber ? DayHealth.Amber : DayHealth.Green;
    }

    /// <summary>The base volume for the day after <paramref name="day"/>: grows on green, holds on amber, steps back on red; maintenance once the target was reached.</summary>
    /// <remarks>
    /// Growth is earned on the way into a working day only. A green Friday leaves the base as it is over the weekend, and a
    /// green Sunday grows it for Monday; so a working day exceeds the previous working day by at most one increment, five
    /// increments a week, and the lighter weekend days never inflate Monday (before, the base grew on Saturday and Sunday
    /// too and Monday could double Sunday and far exceed Friday).
    /// </remarks>
    public static int NextVolume(int current, DayHealth health, bool targetReached, RampPolicy policy, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (targetReached)
        {
            return health == DayHealth.Red ? Math.Max(1, (int)(policy.MaintenanceVolume * policy.StepBackFactor)) : policy.MaintenanceVolume;
        }

        var next = health switch
        {
            DayHealth.Green when IsWeekend(day.AddDays(1)) => current,
            DayHealth.Green => current + policy.DailyIncrement,
            DayHealth.Amber => current,
            _ => (int)Math.Floor(current * policy.StepBackFactor),
        };
        return Math.Clamp(next, Math.Min(policy.StartVolume, 1), policy.Target);
    }

    /// <summary>Saturday and Sunday: the lighter days.</summary>
    public static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>The volume actually planned on a date: weekends lighter, never zero, never above the mailbox's cap.</summary>
    public static int VolumeOn(DateOnly day, int baseVolume, int outboundPlanned, RampPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var volume = IsWeekend(day) ? Math.Max(1, (int)Math.Round(baseVolume * policy.WeekendFactor, MidpointRounding.AwayFromZero)) : baseVolume;
        return Math.Max(0, Math.Min(volume, policy.DailyCap - outboundPlanned));
    }
}
