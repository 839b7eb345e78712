namespace EmailInfra.Core.Warmup;

/// <summary>One day of a projected ramp.</summary>
public sealed record RampDay(int Day, DateOnly Date, int VolumePerMailbox, int PoolWarmup, int ExpectedReplies, bool TargetReached);

/// <summary>The ramp a pool follows under a policy when every day is green: what an operator checks before starting.</summary>
public static class RampProjection
{
    public static IReadOnlyList<RampDay> Project(RampPolicy policy, int mailboxes, int days, DateOnly start)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var result = new List<RampDay>(days);
        var baseVolume = policy.StartVolume;
        var reached = false;
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            var volume = Ramp.VolumeOn(date, baseVolume, 0, policy);
            result.Add(new RampDay(d + 1, date, volume, volume * mailboxes, (int)Math.Round(volume * mailboxes * policy.ReplyRate), reached));
            reached |= baseVolume >= policy.Target;
            baseVolume = Ramp.NextVolume(baseVolume, DayHealth.Green, reached, policy, date);
        }

        return result;
    }
}
