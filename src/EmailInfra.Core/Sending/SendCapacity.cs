using EmailInfra.Core.Health;

namespace EmailInfra.Core.Sending;

/// <summary>Whether a send may go now, and if not, until when it waits.</summary>
public sealed record CapacityDecision(bool Allowed, DateTimeOffset? RetryAt, string? Reason, IReadOnlyList<CapacityScope> Held)
{
    public static CapacityDecision Defer(DateTimeOffset retryAt, string reason) => new(false, retryAt, reason, []);
}

/// <summary>Reserves a send in every scope that limits it (mailbox day, pool's last hour, pool-to-provider last hour), all or none.</summary>
/// <remarks>
/// Scopes are reserved one after another; if a later one is full, the earlier ones are given back. A crash in between
/// leaves a reservation counted that was not used, which can only lower throughput, never break a cap.
/// Throttled scopes get their health rule's share of each cap: the mailbox's factor for its daily cap, the pool's for its
/// hourly cap, and the pool's factor towards the recipient provider for that provider's cap (at least one send each).
/// </remarks>
public sealed class SendCapacity(ICapacityCounters counters, SendingLimits limits, IHealthStates health)
{
    public SendingLimits Limits => limits;

    /// <summary>Reserves the send everywhere, or nowhere; the pool's time zone decides the day the mailbox's daily cap counts (the day its plans are made for).</summary>
    public async Task<CapacityDecision> TryReserveAsync(string sendId, string mailbox, string pool, TimeZoneInfo zone, string provider, DateTimeOffset now, CancellationToken cancellationToken, double mailboxShare = 1.0)
    {
        if (await counters.BackoffUntilAsync(pool, provider, now, cancellationToken).ConfigureAwait(false) is { } until && until > now)
        {
            return CapacityDecision.Defer(until, $"pool {pool} backs off from {provider}");
        }

        var poolHealth = await health.GetAsync(HealthScope.Pool(pool), cancellationToken).ConfigureAwait(false);
        var poolShare = poolHealth is { Level: HealthLevel.Throttled } ? poolHealth.ThrottleFactor : 1.0;
        var providerShare = poolHealth?.ProviderThrottles.GetValueOrDefault(Reputation.MetricBreakdown.Part(provider), 1.0) ?? 1.0;
        var plan = new (CapacityScope Scope, int Limit, TimeSpan Gap)[]
        {
            (CapacityScope.MailboxDay(mailbox, now, zone), Share(limits.Mailbox.DailyCap, mailboxShare), limits.Mailbox.MinGap),
            (CapacityScope.PoolHour(pool, now), Share(limits.Pool.HourlyCap, poolShare), TimeSpan.Zero),
            (CapacityScope.ProviderHour(pool, provider, now), Share(limits.ProviderHourlyCap(provider), providerShare), TimeSpan.Zero),
        };
        var held = new List<CapacityScope>();
        foreach (var (scope, limit, gap) in plan)
        {
            var reservation = await counters.TryReserveAsync(scope, sendId, limit, gap, now, cancellationToken).ConfigureAwait(false);
            if (reservation.Granted)
            {
                held.Add(scope);
                continue;
            }

            foreach (var taken in held)
            {
                await counters.ReleaseAsync(taken, sendId, cancellationToken).ConfigureAwait(false);
            }

            return reservation.Outcome == ReservationOutcome.TooSoon && reservation.LastAt is { } last
                ? CapacityDecision.Defer(last + gap, $"minimum gap of {gap} for {mailbox}")
                : CapacityDecision.Defer(reservation.FreesAt ?? scope.WindowEnd, $"cap {limit} reached for {scope.Key}");
        }

        return new CapacityDecision(true, null, null, held);
    }

    /// <summary>A throttled cap: the share of the usual one, rounded down, never below one send.</summary>
    public static int Share(int cap, double share) => share >= 1.0 ? cap : Math.Max(1, (int)Math.Floor(cap * share));

    /// <summary>Slows a pool towards a provider until a time: no send of the pool goes there before it.</summary>
    public Task BackOffAsync(string pool, string provider, DateTimeOffset until, string reason, CancellationToken cancellationToken) =>
        counters.SetBackoffAsync(pool, provider, until, reason, cancellationToken);

    public async Task ReleaseAsync(string sendId, IEnumerable<CapacityScope> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            await counters.ReleaseAsync(scope, sendId, cancellationToken).ConfigureAwait(false);
        }
    }
}
