namespace EmailInfra.Core.Sending;

/// <summary>One limited window: a mailbox's day, a pool's hour, or a pool's hour towards one provider.</summary>
public sealed record CapacityScope(string Key, DateTimeOffset WindowStart, DateTimeOffset WindowEnd)
{
    public static CapacityScope MailboxDay(string mailbox, DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new($"mbx|{mailbox}|{start:yyyyMMdd}", start, start.AddDays(1));
    }

    public static CapacityScope PoolHour(string pool, DateTimeOffset now)
    {
        var start = HourOf(now);
        return new($"pool|{pool}|{start:yyyyMMddHH}", start, start.AddHours(1));
    }

    public static CapacityScope ProviderHour(string pool, string provider, DateTimeOffset now)
    {
        var start = HourOf(now);
        return new($"prov|{pool}|{provider}|{start:yyyyMMddHH}", start, start.AddHours(1));
    }

    private static DateTimeOffset HourOf(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
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

/// <summary>The result of a reservation attempt, with the count and last send time seen.</summary>
public sealed record Reservation(ReservationOutcome Outcome, int Count, DateTimeOffset? LastAt)
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
