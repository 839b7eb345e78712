using CsCheck;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Tests.Warmup;

/// <summary>Properties of the ramp over generated policies, start dates and runs of day health.</summary>
public class RampProperties
{
    private static readonly Gen<(RampPolicy Policy, DateOnly Start, DayHealth[] Days)> Runs =
        from start in Gen.Int[1, 200]
        from increment in Gen.Int[0, 10]
        from target in Gen.Int[1, 200]
        from weekend in Gen.Int[1, 10]
        from first in Gen.Int[0, 6]
        from days in Gen.Enum<DayHealth>().Array[7, 60]
        let policy = new RampPolicy
        {
            StartVolume = Math.Min(start, target),
            DailyIncrement = increment,
            Target = target,
            MaintenanceVolume = Math.Min(10, target),
            DailyCap = Math.Max(40, target),
            WeekendFactor = weekend / 10.0,
        }.Validate()
        select (policy, new DateOnly(2026, 11, 30).AddDays(first), days);

    /// <summary>The planned volume of each day of a run, each day's health deciding the next day's base.</summary>
    private static List<(DateOnly Day, int Volume, int Base, bool Maintenance)> Simulate(RampPolicy policy, DateOnly start, DayHealth[] health)
    {
        var result = new List<(DateOnly, int, int, bool)>();
        var baseVolume = policy.StartVolume;
        var reached = false;
        for (var d = 0; d < health.Length; d++)
        {
            var day = start.AddDays(d);
            result.Add((day, Ramp.VolumeOn(day, baseVolume, 0, policy), baseVolume, reached));
            reached |= baseVolume >= policy.Target;
            baseVolume = Ramp.NextVolume(baseVolume, health[d], reached, policy, day);
        }

        return result;
    }

    [Fact]
    public void WorkingDay_NeverExceedsThePreviousWorkingDayByMoreThanOneIncrement() =>
        Runs.Sample(r =>
        {
            var working = Simulate(r.Policy, r.Start, r.Days).Where(d => !Ramp.IsWeekend(d.Day)).ToList();
            // once the target was reached the base is the maintenance volume, whatever the day before
            return working.Zip(working.Skip(1)).All(p => p.Second.Volume - p.First.Volume <= r.Policy.DailyIncrement || p.Second.Maintenance);
        });

    [Fact]
    public void WeekendDay_NeverZero_NeverAboveThePreviousWorkingDay() =>
        Runs.Sample(r =>
        {
            var days = Simulate(r.Policy, r.Start, r.Days);
            for (var i = 0; i < days.Count; i++)
            {
                if (!Ramp.IsWeekend(days[i].Day))
                {
                    continue;
                }

                if (days[i].Volume < 1)
                {
                    return false;
                }

                var previous = days.Take(i).LastOrDefault(d => !Ramp.IsWeekend(d.Day));
                if (previous != default && !days[i].Maintenance && days[i].Volume > Math.Max(previous.Volume, 1))
                {
                    return false;
                }
            }

            return true;
        });

    [Fact]
    public void AllGreen_ReachesTheTarget_FiveIncrementsAWeek()
    {
        var policy = new RampPolicy().Validate();
        var monday = new DateOnly(2026, 11, 30);
        var run = Simulate(policy, monday, Enumerable.Repeat(DayHealth.Green, 28).ToArray());
        Assert.Equal(policy.StartVolume + (5 * policy.DailyIncrement), run[7].Base); // the next Monday
        Assert.Equal(run[4].Base, run[5].Base); // Friday to Saturday: held
        Assert.Equal(run[5].Base, run[6].Base); // Saturday to Sunday: held
    }
}
