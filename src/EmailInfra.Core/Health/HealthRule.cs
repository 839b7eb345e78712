using System.Text.RegularExpressions;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Health;

/// <summary>
/// One health rule from the rules file. Rate rules fire at <see cref="HoldAt"/>, <see cref="ThrottleAt"/> or
/// <see cref="PauseAt"/> (the highest reached), once the denominator is at least <see cref="MinimumSample"/>; condition
/// rules (audit, connection) take <see cref="Action"/> while the condition holds. <see cref="Source"/> names where the
/// threshold comes from; the loader refuses a rule without one.
/// </summary>
public sealed record HealthRule
{
    public required string Id { get; init; }

    public required HealthRuleKind Kind { get; init; }

    public required IReadOnlyList<ScopeKind> Scopes { get; init; }

    public required string Source { get; init; }

    public int WindowDays { get; init; } = 7;

    public IReadOnlyList<MailboxMetric> Numerator { get; init; } = [];

    public IReadOnlyList<MailboxMetric> Denominator { get; init; } = [];

    /// <summary>Bounce reasons counted by a <see cref="HealthRuleKind.ProviderReasons"/> rule.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public long MinimumSample { get; init; }

    /// <summary>Fire only above the threshold rather than at it ("more than 2%").</summary>
    public bool Strictly { get; init; }

    public double? HoldAt { get; init; }

    public double? ThrottleAt { get; init; }

    public double? PauseAt { get; init; }

    /// <summary>Share of the usual caps left while this rule throttles.</summary>
    public double ThrottleFactor { get; init; } = 0.5;

    /// <summary>Audit checks (by name) this rule reads.</summary>
    public Regex? CheckPattern { get; init; }

    /// <summary>Connection status that fires a <see cref="HealthRuleKind.Connection"/> rule.</summary>
    public ConnectionStatus? Status { get; init; }

    /// <summary>What a condition rule does while its condition holds.</summary>
    public HealthLevel Action { get; init; } = HealthLevel.Paused;

    /// <summary>The threshold of a level, if the rule has one.</summary>
    public double? ThresholdOf(HealthLevel level) => level switch
    {
        HealthLevel.RampHeld => HoldAt,
        HealthLevel.Throttled => ThrottleAt,
        HealthLevel.Paused => PauseAt,
        _ => null,
    };

    /// <summary>The highest level whose threshold the value reaches.</summary>
    public HealthLevel LevelFor(double value)
    {
        foreach (var level in new[] { HealthLevel.Paused, HealthLevel.Throttled, HealthLevel.RampHeld })
        {
            if (ThresholdOf(level) is { } threshold && (Strictly ? value > threshold : value >= threshold))
            {
                return level;
            }
        }

        return HealthLevel.Clear;
    }
}
