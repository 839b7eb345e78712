using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// Whether Table/Queue storage answers, as every worker and timer of one <c>emailinfra run</c> sees it: an outage is
/// logged once when the first of them meets it and once when storage answers again, however many polls fail meanwhile.
/// </summary>
/// <remarks>
/// Each queue worker and timer meets the same outage at its own pace; without one shared state, a 20-second Azurite
/// restart would print a warning per queue per poll, and the one line an operator needs ("storage is down since …")
/// would drown. The workers wait with <see cref="NextWait"/>, a back-off that grows with the outage's length.
/// </remarks>
public sealed class StorageAvailability(TimeProvider time, ILogger<StorageAvailability> logger)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(15);

    // A request that began during the outage can fail just after storage answers again (the SDK retries for about
    // 20 s): such a straggler is the old outage's tail, not a new one, unless failures go on for longer than this.
    private static readonly TimeSpan Straggling = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private DateTimeOffset? downSince;
    private DateTimeOffset lastAnswered = DateTimeOffset.MinValue;
    private bool logged;
    private int failures;

    /// <summary>When the current outage began, or null while storage answers.</summary>
    public DateTimeOffset? DownSince
    {
        get
        {
            lock (gate)
            {
                return downSince;
            }
        }
    }

    /// <summary>Records a failure that <see cref="StorageOutage.IsOutage"/> recognised, met by <paramref name="where"/>; returns how long to wait before the next try.</summary>
    public TimeSpan Lost(string where, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        bool log;
        int count;
        lock (gate)
        {
            var now = time.GetUtcNow();
            downSince ??= now;
            count = ++failures;
            log = !logged && (now - lastAnswered > Straggling || now - downSince.Value > Straggling);
            logged |= log;
        }

        if (log)
        {
            LocalLog.StorageDown(logger, where, StorageOutage.Reason(exception));
        }

        return NextWait(count);
    }

    /// <summary>Records that storage answered; the end of an outage is logged once, with its length.</summary>
    public void Answered()
    {
        DateTimeOffset? since;
        lock (gate)
        {
            since = logged ? downSince : null;
            if (downSince is not null)
            {
                lastAnswered = time.GetUtcNow();
            }

            downSince = null;
            logged = false;
            failures = 0;
        }

        if (since is { } s)
        {
            LocalLog.StorageBack(logger, (time.GetUtcNow() - s).TotalSeconds);
        }
    }

    /// <summary>1 s, 2 s, 4 s … up to 15 s: quick to notice a short restart, quiet during a long outage.</summary>
    public static TimeSpan NextWait(int failures) =>
        TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Clamp(failures - 1, 0, 10)));
}
