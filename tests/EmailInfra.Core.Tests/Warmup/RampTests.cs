using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Tests.Warmup;

public class RampTests
{
    private static readonly RampPolicy Policy = new RampPolicy().Validate();

    [Theory]
    [InlineData(10, 0, 0, 10, 0, DayHealth.Green)]
    [InlineData(10, 0, 0, 8, 2, DayHealth.Amber)]  // 20% junk
    [InlineData(10, 0, 0, 6, 4, DayHealth.Red)]    // 40% junk
    [InlineData(40, 1, 0, 40, 0, DayHealth.Amber)] // 2.5% hard bounces
    [InlineData(40, 3, 0, 40, 0, DayHealth.Red)]   // 7.5%
    [InlineData(400, 0, 1, 400, 0, DayHealth.Amber)]
    [InlineData(100, 0, 1, 100, 0, DayHealth.Red)] // 1% complaints
    public void HealthOf_Thresholds(int sent, int bounces, int complaints, int inbox, int junk, DayHealth expected) =>
        Assert.Equal(expected, Ramp.HealthOf(new DaySignals(sent, bounces, complaints, inbox, junk), Policy));

    [Fact]
    public void NextVolume_GreenGrows_AmberHolds_RedStepsBack_TargetBounds()
    {
        var tuesday = new DateOnly(2026, 12, 1);
        Assert.Equal(12, Ramp.NextVolume(10, DayHealth.Green, false, Policy, tuesday));
        Assert.Equal(10, Ramp.NextVolume(10, DayHealth.Amber, false, Policy, tuesday));
        Assert.Equal(5, Ramp.NextVolume(10, DayHealth.Red, false, Policy, tuesday));
        Assert.Equal(40, Ramp.NextVolume(39, DayHealth.Green, false, Policy, tuesday));
        Assert.Equal(1, Ramp.NextVolume(1, DayHealth.Red, false, Policy, tuesday));
        Assert.Equal(Policy.MaintenanceVolume, Ramp.NextVolume(40, DayHealth.Green, true, Policy, tuesday));
    }

    [Fact]
    public void NextVolume_GreenFridayAndSaturdayHold_GreenSundayGrowsMonday()
    {
        Assert.Equal(10, Ramp.NextVolume(10, DayHealth.Green, false, Policy, new DateOnly(2026, 12, 4)));
        Assert.Equal(10, Ramp.NextVolume(10, DayHealth.Green, false, Policy, new DateOnly(2026, 12, 5)));
        Assert.Equal(12, Ramp.NextVolume(10, DayHealth.Green, false, Policy, new DateOnly(2026, 12, 6)));
        Assert.Equal(5, Ramp.NextVolume(10, DayHealth.Red, false, Policy, new DateOnly(2026, 12, 5))); // a red weekend still steps back
    }

    [Fact]
    public void VolumeOn_WeekendLighterNeverZero_CombinedNeverOverTheCap()
    {
        Assert.Equal(10, Ramp.VolumeOn(new DateOnly(2026, 11, 30), 10, 0, Policy)); // Monday
        Assert.Equal(5, Ramp.VolumeOn(new DateOnly(2026, 11, 28), 10, 0, Policy)); // Saturday
        Assert.Equal(1, Ramp.VolumeOn(new DateOnly(2026, 11, 29), 1, 0, Policy));  // Sunday, never silent
        Assert.Equal(10, Ramp.VolumeOn(new DateOnly(2026, 11, 30), 10, 30, Policy));
        Assert.Equal(5, Ramp.VolumeOn(new DateOnly(2026, 11, 30), 10, 35, Policy)); // outbound takes the rest of the cap
    }

    [Theory]
    [InlineData(nameof(RampPolicy.Target), 1, "Warmup:Ramp:Target")]
    [InlineData(nameof(RampPolicy.WeekendFactor), 0, "Warmup:Ramp:WeekendFactor")]
    [InlineData(nameof(RampPolicy.StartVolume), 0, "Warmup:Ramp:StartVolume")]
    [InlineData(nameof(RampPolicy.JunkRed), 0.05, "Warmup:Ramp:JunkRed")]
    public void Validate_BadValue_FailsNamingTheKey(string property, double value, string key)
    {
        var policy = new RampPolicy();
        var prop = typeof(RampPolicy).GetProperty(property)!;
        prop.SetValue(policy, prop.PropertyType == typeof(int) ? (object)(int)value : value);
        var ex = Assert.Throws<InvalidOperationException>(() => policy.Validate());
        Assert.StartsWith(key, ex.Message, StringComparison.Ordinal);
    }
}
