namespace EmailInfra.Core.Jobs;

/// <summary>App settings that hold NCRONTAB schedules, read by the Functions timer triggers and the local host alike.</summary>
public static class TimerSchedules
{
    /// <summary>When poll jobs are fanned out (six fields, seconds first).</summary>
    public const string PollSchedule = "PollSchedule";

    /// <summary>When warm-up days are started for mailboxes whose sending day has begun (six fields, seconds first).</summary>
    public const string WarmupSchedule = "WarmupSchedule";

    /// <summary>When unfinished sends that lost their job are queued again (every 15 minutes by default).</summary>
    public const string SweepSchedule = "SweepSchedule";

    /// <summary>When every sending domain's DNS is audited (daily by default).</summary>
    public const string AuditSchedule = "AuditSchedule";

    /// <summary>When the health rules are evaluated over every mailbox, domain and pool (every 15 minutes by default).</summary>
    public const string HealthSchedule = "HealthSchedule";
}
