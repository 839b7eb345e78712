using EmailInfra.Core.Mailboxes;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Warmup;

/// <summary>A pool's sending days and windows: calendar days in its time zone, or numbered days of a configured length.</summary>
public sealed class SendingCalendar(IOptions<WarmupOptions> options)
{
    private WarmupOptions Options => options.Value;

    private bool CalendarDays => Options.DayLength == TimeSpan.FromDays(1);

    /// <summary>The sending day an instant falls in.</summary>
    public DateOnly DayOf(DateTimeOffset instant, SendingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (CalendarDays)
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, pool.TimeZone).DateTime);
        }

        var n = (long)Math.Floor((instant - Options.Epoch) / Options.DayLength);
        return DateOnly.FromDateTime(Options.Epoch.UtcDateTime).AddDays((int)n);
    }

    /// <summary>The sending day of a mailbox whose pool record may be missing: its pool's day, else the UTC day.</summary>
    public DateOnly DayOf(DateTimeOffset instant, SendingPool? pool, string poolId) =>
        DayOf(instant, pool ?? new SendingPool(poolId, string.Empty, "UTC", instant));

    /// <summary>When a sending day begins (local midnight for calendar days).</summary>
    public DateTimeOffset DayStart(DateOnly day, SendingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return CalendarDays ? Local(day, TimeSpan.Zero, pool.TimeZone) : Options.Epoch + (Options.DayLength * (day.DayNumber - DateOnly.FromDateTime(Options.Epoch.UtcDateTime).DayNumber));
    }

    /// <summary>The sending window of a day, as UTC instants.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) WindowOf(DateOnly day, SendingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (CalendarDays)
        {
            // Wall-clock hours, so the window opens at 08:00 local on both sides of a DST change.
            return (Local(day, Options.WindowOpens, pool.TimeZone), Local(day, Options.WindowOpens + Options.WindowLength, pool.TimeZone));
        }

        var start = DayStart(day, pool) + Options.WindowOpens;
        return (start, start + Options.WindowLength);
    }

    /// <summary>When the day is summarised: the window's end plus the settle time.</summary>
    public DateTimeOffset SummaryAt(DateOnly day, SendingPool pool) => WindowOf(day, pool).End + Options.SettleTime;

    private static DateTimeOffset Local(DateOnly day, TimeSpan offset, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue) + offset;
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // inside a spring-forward gap: the first valid minute after it
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
