namespace EmailInfra.Core.Warmup;

/// <summary>What a warm-up action did to one mailbox's day: started, paused, resumed, stopped, unchanged or skipped, and why.</summary>
public sealed record WarmupControlOutcome(string Mailbox, DateOnly? Day, string Outcome, string Detail);
