using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Warmup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Tests.Warmup;

/// <summary>The warm-up policy layers, their validation at start, and the sending calendar.</summary>
public class WarmupSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Policy_PoolOverridesBase_MailboxOverridesPool_UnsetKeysInherit()
    {
        var policies = new WarmupPolicies(Config(
            ("Warmup:Ramp:Target", "30"),
            ("Warmup:Ramp:DailyCap", "35"),
            ("Warmup:Pools:agency:Ramp:StartVolume", "4"),
            ("Warmup:Mailboxes:ann@cold.example:Ramp:DailyIncrement", "1")));

        var other = policies.For("default", "bob@cold.example");
        Assert.Equal((2, 2, 30), (other.StartVolume, other.DailyIncrement, other.Target));
        var pooled = policies.For("agency", "bob@cold.example");
        Assert.Equal((4, 2, 30), (pooled.StartVolume, pooled.DailyIncrement, pooled.Target));
        var mailbox = policies.For("agency", "ann@cold.example");
        Assert.Equal((4, 1, 30, 35), (mailbox.StartVolume, mailbox.DailyIncrement, mailbox.Target, mailbox.DailyCap));
    }

    [Theory]
    [InlineData("Warmup:Ramp:Target", "5000", "Warmup:Ramp:Target")]
    [InlineData("Warmup:Pools:agency:Ramp:WeekendFactor", "0", "Warmup:Pools:agency:Ramp:WeekendFactor")]
    [InlineData("Warmup:Mailboxes:ann@cold.example:Ramp:StartVolume", "0", "Warmup:Mailboxes:ann@cold.example:Ramp:StartVolume")]
    [InlineData("Warmup:Pools:agency:Ramp:StartVolme", "3", "Warmup:Pools:agency:Ramp")]
    [InlineData("Warmup:Ramp:ReplyRate", "lots", "Warmup:Ramp")]
    public void Policy_BadValueInAnyLayer_FailsAtStartNamingTheKey(string key, string value, string named)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new WarmupPolicies(Config((key, value))));
        Assert.StartsWith(named, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WindowLength", "23:00:00", "Warmup:SettleTime")]
    [InlineData("DayLength", "00:00:05", "Warmup:DayLength")]
    [InlineData("MinimumGap", "10:00:00", "Warmup:MinimumGap")]
    [InlineData("ReplyDelayMin", "05:00:00", "Warmup:ReplyDelayMax")]
    public void Options_DayThatDoesNotHoldTogether_FailsNamingTheKey(string key, string value, string named)
    {
        var options = new WarmupOptions();
        Config(("Warmup:" + key, value)).GetSection(WarmupOptions.Section).Bind(options);
        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate());
        Assert.StartsWith(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calendar_CalendarDays_WindowIsLocalWallClock_AcrossADaylightSavingChange()
    {
        var calendar = new SendingCalendar(Options.Create(new WarmupOptions()));
        var pool = new SendingPool("eu", "eu", "Europe/Berlin", DateTimeOffset.UnixEpoch);

        // 29 March 2026: Berlin moves from UTC+1 to UTC+2; the window opens at 08:00 local on both days
        var before = calendar.WindowOf(new DateOnly(2026, 3, 28), pool);
        var after = calendar.WindowOf(new DateOnly(2026, 3, 30), pool);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 7, 0, 0, TimeSpan.Zero), before.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 6, 0, 0, TimeSpan.Zero), after.Start);
        Assert.Equal(TimeSpan.FromHours(9), after.End - after.Start);

        // 23:30 UTC on the 28th is already the 29th in Berlin
        Assert.Equal(new DateOnly(2026, 3, 29), calendar.DayOf(new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero), pool));
    }

    [Fact]
    public void Calendar_NumberedDays_FollowOneAnotherFromTheEpoch()
    {
        var epoch = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        var calendar = new SendingCalendar(Options.Create(new WarmupOptions
        {
            DayLength = TimeSpan.FromMinutes(1),
            Epoch = epoch,
            WindowOpens = TimeSpan.FromSeconds(5),
            WindowLength = TimeSpan.FromSeconds(30),
            SettleTime = TimeSpan.FromSeconds(10),
            MinimumGap = TimeSpan.FromSeconds(1),
        }.Validate()));
        var pool = new SendingPool("p", "p", "UTC", DateTimeOffset.UnixEpoch);

        Assert.Equal(new DateOnly(2026, 11, 28), calendar.DayOf(epoch.AddSeconds(59), pool));
        Assert.Equal(new DateOnly(2026, 11, 30), calendar.DayOf(epoch.AddSeconds(121), pool));
        Assert.Equal(new DateOnly(2026, 11, 27), calendar.DayOf(epoch.AddSeconds(-1), pool));
        var window = calendar.WindowOf(new DateOnly(2026, 11, 30), pool);
        Assert.Equal(epoch.AddSeconds(125), window.Start);
        Assert.Equal(epoch.AddSeconds(155), window.End);
        Assert.Equal(epoch.AddSeconds(165), calendar.SummaryAt(new DateOnly(2026, 11, 30), pool));
    }
}
