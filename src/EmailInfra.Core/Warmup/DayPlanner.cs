namespace EmailInfra.Core.Warmup;

/// <summary>A peer of the warm-up network: another mailbox that receives, opens and answers warm-up mail.</summary>
public sealed record WarmupPeer(string Address, string Domain, string Provider);

/// <summary>What the planner needs for one mailbox's day.</summary>
/// <param name="Mailbox">The sending mailbox.</param>
/// <param name="Volume">Warm-up emails wanted today (already capped).</param>
/// <param name="WindowStart">Start of the sending window (UTC instant of the pool's local start).</param>
/// <param name="WindowEnd">End of the sending window.</param>
/// <param name="MinimumGap">Least time between two sends of this mailbox.</param>
/// <param name="Peers">The warm-up network; the mailbox itself is ignored if listed.</param>
/// <param name="PairCountsThisWeek">Sends from this mailbox to each peer over the last seven days.</param>
/// <param name="MaxPerPairPerWeek">A pair used this often in a week is not used again.</param>
/// <param name="ReplyRate">Share of sends that the peer answers.</param>
/// <param name="Seed">Same seed, same plan.</param>
/// <param name="ReplyDelayMin">Shortest time a peer takes to answer (default 20 minutes).</param>
/// <param name="ReplyDelayMax">Longest time a peer takes to answer (default 3 hours).</param>
public sealed record DayPlanInput(
    string Mailbox,
    int Volume,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    TimeSpan MinimumGap,
    IReadOnlyList<WarmupPeer> Peers,
    IReadOnlyDictionary<string, int> PairCountsThisWeek,
    int MaxPerPairPerWeek,
    double ReplyRate,
    int Seed,
    TimeSpan? ReplyDelayMin = null,
    TimeSpan? ReplyDelayMax = null);

/// <summary>One planned warm-up email, and whether (and about when) the peer answers it.</summary>
public sealed record PlannedSend(DateTimeOffset At, string Recipient, bool Reply, TimeSpan ReplyDelay);

/// <summary>
/// Plans a mailbox's warm-up day: the volume spread over the window with jitter and a minimum gap, recipients spread
/// across peers, domains and providers (never itself, no pair overused in a week), and which sends get a reply.
/// Pure and deterministic for a given seed, so a plan can be recomputed and tested.
/// </summary>
public static class DayPlanner
{
    public static IReadOnlyList<PlannedSend> Plan(DayPlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var random = new Random(input.Seed);
        var window = input.WindowEnd - input.WindowStart;
        if (input.Volume <= 0 || window <= TimeSpan.Zero)
        {
            return [];
        }

        // As many sends as fit with the gap between them, never more than asked.
        var fit = input.MinimumGap <= TimeSpan.Zero ? input.Volume : (int)Math.Min(input.Volume, Math.Floor(window / input.MinimumGap));
        var times = Times(input.WindowStart, window, Math.Max(fit, 0), input.MinimumGap, random);
        var recipients = Recipients(input, times.Count, random);
        var plan = new List<PlannedSend>(recipients.Count);
        var minDelay = input.ReplyDelayMin ?? TimeSpan.FromMinutes(20);
        var maxDelay = input.ReplyDelayMax ?? TimeSpan.FromHours(3);
        for (var i = 0; i < recipients.Count; i++)
        {
            var reply = random.NextDouble() < input.ReplyRate;
            var delay = minDelay + ((maxDelay - minDelay) * random.NextDouble());
            plan.Add(new PlannedSend(times[i], recipients[i], reply, reply ? delay : TimeSpan.Zero));
        }

        return plan;
    }

    /// <summary>One send per equal slot of the window, at a random point of its slot, then pushed apart to keep the gap.</summary>
    private static List<DateTimeOffset> Times(DateTimeOffset start, TimeSpan window, int count, TimeSpan gap, Random random)
    {
        var times = new List<DateTimeOffset>(count);
        if (count == 0)
        {
            return times;
        }

        var slot = window / count;
        var slack = slot - gap > TimeSpan.Zero ? slot - gap : TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            // Each send sits in its own slot, after at least the gap from the slot start: consecutive sends are >= gap apart.
            var offset = slot * i + (slot >= gap ? TimeSpan.FromTicks((long)(random.NextDouble() * slack.Ticks)) : TimeSpan.Zero);
            times.Add(start + offset);
        }

        // slot >= gap whenever count fits the window, so neighbours are at least a gap apart; enforce it against rounding anyway
        for (var i = 1; i < times.Count; i++)
        {
            if (times[i] - times[i - 1] < gap)
            {
                times[i] = times[i - 1] + gap;
            }
        }

        return times.Where(t => t < start + window).ToList();
    }

    private static List<string> Recipients(DayPlanInput input, int count, Random random)
    {
        var peers = input.Peers.Where(p => !string.Equals(p.Address, input.Mailbox, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(p => p.Address, StringComparer.OrdinalIgnoreCase).ToList();
        var week = peers.ToDictionary(p => p.Address, p => input.PairCountsThisWeek.GetValueOrDefault(p.Address), StringComparer.OrdinalIgnoreCase);
        var today = peers.ToDictionary(p => p.Address, _ => 0, StringComparer.OrdinalIgnoreCase);
        var domainToday = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var providerToday = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var chosen = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var pick = peers
                .Where(p => week[p.Address] < input.MaxPerPairPerWeek)
                .OrderBy(p => today[p.Address])
                .ThenBy(p => providerToday.GetValueOrDefault(p.Provider))
                .ThenBy(p => domainToday.GetValueOrDefault(p.Domain))
                .ThenBy(p => week[p.Address])
                .ThenBy(_ => random.Next())
                .FirstOrDefault();
            if (pick is null)
            {
                break; // every pair is used up this week: fewer sends rather than overused pairs
            }

            chosen.Add(pick.Address);
            week[pick.Address]++;
            today[pick.Address]++;
            domainToday[pick.Domain] = domainToday.GetValueOrDefault(pick.Domain) + 1;
            providerToday[pick.Provider] = providerToday.GetValueOrDefault(pick.Provider) + 1;
        }

        return chosen;
    }
}
