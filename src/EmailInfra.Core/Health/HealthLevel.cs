namespace EmailInfra.Core.Health;

/// <summary>How far the health rules restrict a scope, mildest first; a scope's level is the worst of its active findings.</summary>
public enum HealthLevel
{
    /// <summary>No rule restricts it.</summary>
    Clear,

    /// <summary>Sends as usual, but the warm-up volume does not grow.</summary>
    RampHeld,

    /// <summary>Sends at the rule's reduced share of its caps (and the ramp holds).</summary>
    Throttled,

    /// <summary>Sends nothing until the evidence clears or an operator resumes it.</summary>
    Paused,

    /// <summary>Out of service for good; only an operator retires.</summary>
    Retired,
}
