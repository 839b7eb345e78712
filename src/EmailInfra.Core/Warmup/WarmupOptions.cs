using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EmailInfra.Core.Warmup;

/// <summary>When warm-up days run and how they are spread. Bound from the "Warmup" configuration section.</summary>
/// <remarks>
/// A day is a calendar day in the pool's time zone unless <see cref="DayLength"/> says otherwise: shorter days exist so a
/// test (or a demo) can live through several warm-up days in minutes with the same code path.
/// </remarks>
public sealed class WarmupOptions
{
    public const string Section = "Warmup";

    /// <summary>Length of a sending day. One day (the default) means calendar days in the pool's time zone.</summary>
    public TimeSpan DayLength { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Where numbered days start when <see cref="DayLength"/> is not one day; day 0 carries this instant's UTC date.</summary>
    public DateTimeOffset Epoch { get; set; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Time from the start of the day (local midnight) to the opening of the sending window.</summary>
    public TimeSpan WindowOpens { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long the window stays open; warm-up sends are spread across it.</summary>
    public TimeSpan WindowLength { get; set; } = TimeSpan.FromHours(9);

    /// <summary>Wait after the window closes before the day is summarised, so late placements, replies and bounces count.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Least time between two warm-up sends of a mailbox.</summary>
    public TimeSpan MinimumGap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A sender-peer pair used this often in seven days is not used again (the network must be large enough for the target).</summary>
    public int MaxPerPairPerWeek { get; set; } = 7;

    /// <summary>Shortest and longest time a peer takes to answer a warm-up email it will answer.</summary>
    public TimeSpan ReplyDelayMin { get; set; } = TimeSpan.FromMinutes(20);

    public TimeSpan ReplyDelayMax { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// Zero (the default, right for Durable Functions on Azure Storage): the day waits on one durable timer, which a control
    /// event interrupts. Otherwise the wait is cut into timers this long, for engines that deliver events only when a timer fires
    /// (the in-memory engine of local mode): a pause then takes effect within this time.
    /// </summary>
    public TimeSpan ControlCheck { get; set; } = TimeSpan.Zero;

    /// <summary>Throws with the offending key when the day does not hold together; called at start.</summary>
    public WarmupOptions Validate()
    {
        Require(DayLength >= TimeSpan.FromSeconds(10) && DayLength <= TimeSpan.FromDays(1), nameof(DayLength), "must be from 10 seconds to one day");
        Require(WindowOpens >= TimeSpan.Zero, nameof(WindowOpens), "must not be negative");
        Require(WindowLength > TimeSpan.Zero, nameof(WindowLength), "must be positive");
        Require(
            WindowOpens + WindowLength + SettleTime <= DayLength,
            nameof(SettleTime),
            $"WindowOpens + WindowLength + SettleTime must fit in DayLength ({DayLength}): tomorrow's plan reads today's decision");
        Require(MinimumGap >= TimeSpan.Zero && MinimumGap < WindowLength, nameof(MinimumGap), "must be 0 or more and shorter than WindowLength");
        Require(ControlCheck >= TimeSpan.Zero, nameof(ControlCheck), "must not be negative");
        Require(MaxPerPairPerWeek is >= 1 and <= 1000, nameof(MaxPerPairPerWeek), "must be 1-1000");
        Require(ReplyDelayMin >= TimeSpan.Zero && ReplyDelayMin <= ReplyDelayMax, nameof(ReplyDelayMax), "must be at least ReplyDelayMin, which must not be negative");
        return this;
    }

    private static void Require(bool ok, string key, string message)
    {
        if (!ok)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Section}:{key} {message}"));
        }
    }
}

/// <summary>
/// The ramp policy of each mailbox: "Warmup:Ramp", overlaid by "Warmup:Pools:{pool}:Ramp", overlaid by
/// "Warmup:Mailboxes:{address}:Ramp". Every layer is validated at start, so a bad value names its key before anything runs.
/// </summary>
public sealed class WarmupPolicies
{
    private readonly IConfiguration configuration;

    public WarmupPolicies(IConfiguration configuration)
    {
        this.configuration = configuration;
        foreach (var pool in configuration.GetSection("Warmup:Pools").GetChildren())
        {
            Resolve(pool.Key, null);
        }

        foreach (var mailbox in configuration.GetSection("Warmup:Mailboxes").GetChildren())
        {
            Resolve(null, mailbox.Key);
        }

        Resolve(null, null);
    }

    /// <summary>The policy for a mailbox of a pool.</summary>
    public RampPolicy For(string poolId, string mailbox) => Resolve(poolId, mailbox);

    private RampPolicy Resolve(string? poolId, string? mailbox)
    {
        var policy = new RampPolicy();
        var section = RampPolicy.Section;
        Bind(policy, section);
        if (poolId is not null && configuration.GetSection($"Warmup:Pools:{poolId}:Ramp").Exists())
        {
            section = $"Warmup:Pools:{poolId}:Ramp";
            Bind(policy, section);
        }

        if (mailbox is not null && configuration.GetSection($"Warmup:Mailboxes:{mailbox}:Ramp").Exists())
        {
            section = $"Warmup:Mailboxes:{mailbox}:Ramp";
            Bind(policy, section);
        }

        return policy.Validate(section);
    }

    private void Bind(RampPolicy policy, string section)
    {
        try
        {
            configuration.GetSection(section).Bind(policy, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{section}: {ex.Message}", ex);
        }
    }
}
