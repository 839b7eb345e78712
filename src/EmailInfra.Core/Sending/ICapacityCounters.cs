namespace EmailInfra.Core.Sending;

/// <summary>
/// One limited window: a mailbox's day in its pool's time zone (fixed), or a pool's last 60 minutes, all providers or towards
/// one (rolling).
/// </summary>
/// <remarks>
/// A rolling window is counted in buckets of <see cref="Bucket"/>; a reservation counts the buckets that any 60 minutes ending
/// now can touch (this one and the six before it), so no 60 minutes, aligned or not, hold more than the cap. Fixed hours
/// would allow twice the cap across a boundary.
/// </remarks>
public sealed record CapacityScope(string Key, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, TimeSpan? Rolling = null)
{
    /// <summary>The size of one bucket of a rolling window.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(10);

    /// <summary>The mailbox's day as its pool reckons days: the day a warm-up plan is made for.</summary>
    public static CapacityScope MailboxDay(string mailbox, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var start = LocalMidnight(day, zone);
        return new($"mbx|{mailbox}|{day:yyyyMMdd}", start, LocalMidnight(day.AddDays(1), zone));
    }

    public static CapacityScope PoolHour(string pool, DateTimeOffset now) => RollingHour($"pool|{pool}|60m", now);

    public static CapacityScope ProviderHour(string pool, string provider, DateTimeOffset now) => RollingHour($"prov|{pool}|{provider}|60m", now);

    /// <summary>The start of the bucket that holds an instant.</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % Bucket.Ticks), TimeSpan.Zero);

    private static CapacityScope RollingHour(string key, DateTimeOffset now)
    {
        var hour = TimeSpan.FromHours(1);
        var current = BucketOf(now);
        return new(key, current - hour, current + Bucket, hour);
    }

    // Midnight that does not exist (a DST change at 00:00) is taken as the first valid instant after it.
    private static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}

/// <summary>The outcome of a reservation attempt in one scope.</summary>
public enum ReservationOutcome
{
    Reserved,

    /// <summary>This send held a reservation in the scope already (a redelivery): nothing was added.</summary>
    AlreadyHeld,
    CapReached,
    TooSoon,
}

/// <summary>The result of a reservation attempt, with the count and last send time seen, and for a full rolling window when a place frees up.</summary>
public sealed record Reservation(ReservationOutcome Outcome, int Count, DateTimeOffset? LastAt, DateTimeOffset? FreesAt = null)
{
    public bool Granted => Outcome is ReservationOutcome.Reserved or ReservationOutcome.AlreadyHeld;
}

/// <summary>Counters of sends per scope, changed atomically across any number of instances (Table Storage with ETags).</summary>
public interface ICapacityCounters
{
    /// <summary>Counts the send in the scope if the count stays within the limit and the gap since the last send is kept; idempotent per send id.</summary>
    Task<Reservation> TryReserveAsync(CapacityScope scope, string sendId, int limit, TimeSpan minGap, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a reservation back (the send did not happen). Idempotent.</summary>
    Task ReleaseAsync(CapacityScope scope, string sendId, CancellationToken cancellationToken);

    Task<int> CountAsync(CapacityScope scope, CancellationToken cancellationToken);

    /// <summary>Slows a pool towards a provider until the given time (a deferral rule matched).</summary>
    Task SetBackoffAsync(string pool, string provider, DateTimeOffset until, string reason, CancellationToken cancellationToken);

    Task<DateTimeOffset?> BackoffUntilAsync(string pool, string provider, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Where a recipient domain's mail goes, as DNS says.</summary>
/// <param name="Exists">False when the domain does not exist (NXDOMAIN).</param>
/// <param name="MxHosts">MX hosts by preference; empty when there is no MX.</param>
/// <param name="NullMx">The domain publishes a null MX (RFC 7505): it accepts no mail.</param>
/// <param name="HasAddress">The domain has A or AAAA records (the fallback when there is no MX).</param>
public sealed record MailRoute(bool Exists, IReadOnlyList<string> MxHosts, bool NullMx, bool HasAddress)
{
    /// <summary>Whether mail to this domain can be delivered at all.</summary>
    public bool AcceptsMail => Exists && !NullMx && (MxHosts.Count > 0 || HasAddress);
}

/// <summary>Looks up recipient domains in DNS (adapter over DnsClient). Throws <see cref="TimeoutException"/> when DNS does not answer.</summary>
public interface IMailRouteResolver
{
    Task<MailRoute> ResolveAsync(string domain, CancellationToken cancellationToken);
}
