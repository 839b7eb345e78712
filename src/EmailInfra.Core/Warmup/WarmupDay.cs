namespace EmailInfra.Core.Warmup;

/// <summary>One mailbox's warm-up day: the orchestration's input, and its deterministic instance id.</summary>
public sealed record WarmupDayInput(string Mailbox, string PoolId, DateOnly Day)
{
    /// <summary>Mailbox + date: a second firing, a retry or an overlap finds the instance and starts nothing twice.</summary>
    public string InstanceId => $"warmup-{Mailbox}-{Day:yyyyMMdd}";
}

/// <summary>The plan of a warm-up day as the orchestration needs it: how many sends, when the day is summarised, and how often to look for control events (zero: one timer).</summary>
public sealed record WarmupDayPlan(DateOnly Day, int BaseVolume, int Planned, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DateTimeOffset SummaryAt, string Outcome, TimeSpan ControlCheck);

/// <summary>An operator's instruction to a running warm-up day.</summary>
public enum WarmupControlAction
{
    /// <summary>Hold the sends not yet made.</summary>
    Pause,

    /// <summary>Release held sends; those whose time passed are spread over what is left of the window.</summary>
    Resume,

    /// <summary>Withdraw the sends not yet made and summarise the day now, holding the ramp.</summary>
    Stop,
}

/// <summary>A control action for one day, as the control activity receives it.</summary>
public sealed record WarmupControlRequest(WarmupDayInput Day, WarmupControlAction Action);

/// <summary>Input of the summary activity.</summary>
public sealed record WarmupSummaryRequest(WarmupDayInput Day, bool Stopped);

/// <summary>How the day went and what tomorrow's base volume is.</summary>
public sealed record WarmupDayResult(DateOnly Day, int Planned, int Sent, DayHealth Health, int BaseVolume, int NextVolume, string Outcome);
