using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Api;

/// <summary>A mailbox's warm-up days, oldest first: planned and sent per day, the signals, and the volume decided for the next.</summary>
public sealed record WarmupHistory(string Mailbox, IReadOnlyList<WarmupDayRecord> Days);
