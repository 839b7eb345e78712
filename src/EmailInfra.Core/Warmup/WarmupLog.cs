using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Warmup;

internal static partial class WarmupLog
{
    [LoggerMessage(3001, LogLevel.Information, "Warm-up day {Day} of {Mailbox}: {Planned} sends planned (base volume {BaseVolume}) between {Start:u} and {End:u}")]
    public static partial void Planned(ILogger logger, string mailbox, DateOnly day, int planned, int baseVolume, DateTimeOffset start, DateTimeOffset end);

    [LoggerMessage(3002, LogLevel.Information, "Warm-up day {Day} of {Mailbox}: nothing planned ({Outcome})")]
    public static partial void NothingPlanned(ILogger logger, string mailbox, DateOnly day, string outcome);

    [LoggerMessage(3003, LogLevel.Information, "Warm-up day {Day} of {Mailbox}: {Action} applied to {Count} sends")]
    public static partial void Controlled(ILogger logger, string mailbox, DateOnly day, WarmupControlAction action, int count);

    [LoggerMessage(3004, LogLevel.Information, "Warm-up day {Day} of {Mailbox} summarised: {Sent} sent, health {Health}, base volume {BaseVolume} -> {NextVolume} ({Outcome})")]
    public static partial void Summarised(ILogger logger, string mailbox, DateOnly day, int sent, DayHealth health, int baseVolume, int nextVolume, string outcome);

    [LoggerMessage(3005, LogLevel.Warning, "Warm-up day {Day} of {Mailbox} was {Health}: hard bounces {HardBounces}, complaints {Complaints}, junk {Junk} of {Placed} placed")]
    public static partial void Unhealthy(ILogger logger, string mailbox, DateOnly day, DayHealth health, int hardBounces, int complaints, int junk, int placed);

    [LoggerMessage(3006, LogLevel.Information, "Warm-up days: {Started} started, {Existing} already running or done, {Closed} past their window")]
    public static partial void Started(ILogger logger, int started, int existing, int closed);

    [LoggerMessage(3007, LogLevel.Warning, "Provider of peer domain {Domain} unknown: {Error}")]
    public static partial void PeerProviderUnknown(ILogger logger, string domain, string error);
}
