using System.Globalization;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Warmup;

/// <summary>
/// On local mode's real engine a control event reaches a day while its one durable timer is pending (no Warmup:ControlCheck
/// slices): a pause through `emailinfra run`'s admin API holds the day's sends within seconds, and a resume releases them.
/// </summary>
public class RealEngineControlTests
{
    [Fact(Timeout = 240_000)]
    public async Task PauseThroughTheLocalApi_HoldsTheSendsAtOnce_ResumeSendsThemEachOnce()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var network = Rig.WarmupNetwork.Take(3).ToList();
        var epoch = DateTimeOffset.UtcNow.AddSeconds(1);
        var settings = new Dictionary<string, string?>
        {
            ["Warmup:DayLength"] = "00:10:00",
            ["Warmup:Epoch"] = epoch.ToString("O", CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:00",
            ["Warmup:WindowLength"] = "00:01:30",
            ["Warmup:SettleTime"] = "00:00:05",
            ["Warmup:MinimumGap"] = "00:00:10",
        };
        await using var rig = new RigServices(settings);
        foreach (var address in network)
        {
            await rig.RegisterRigMailboxAsync(address, "control");
        }

        var port = LoopbackPorts.Free();
        var environment = settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        environment["WarmupSchedule"] = "*/2 * * * * *";
        environment["Api__Key"] = "local-test-key-0123456789";
        environment["Api__Url"] = $"http://127.0.0.1:{port}";
        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync("control", default))!;
        var day = rig.Get<SendingCalendar>().DayOf(epoch + TimeSpan.FromSeconds(1), pool);
        var ledger = rig.Get<ISendLedger>();
        var sender = network[0];
        using var process = EmailInfraProcess.Start(CliEnvironment.For(rig, environment), null, "run");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-functions-key", "local-test-key-0123456789");

        // the timer starts the days; once the sender's are planned, pause it through the API
        var planned = await Eventually.WaitAsync(() => ledger.ListDayAsync(sender, day, default), r => r.Count >= 2, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(planned.Count >= 2, process.Output);
        var pause = await client.PostAsync($"/api/mailboxes/{sender}/warmup/pause", null);
        Assert.True(pause.IsSuccessStatusCode, await pause.Content.ReadAsStringAsync() + process.Output);
        var held = await Eventually.WaitAsync(
            () => ledger.ListDayAsync(sender, day, default), r => r.Any(x => x.State == SendState.Held), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));
        Assert.True(held.Any(x => x.State == SendState.Held), "the pause did not reach the day while its timer was pending\n" + process.Output);

        var resume = await client.PostAsync($"/api/mailboxes/{sender}/warmup/resume", null);
        Assert.True(resume.IsSuccessStatusCode, await resume.Content.ReadAsStringAsync());
        var sent = await Eventually.WaitAsync(
            () => ledger.ListDayAsync(sender, day, default), r => r.Where(x => x.Kind == SendKind.Warmup).All(x => x.State == SendState.Sent), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
        var warmup = sent.Where(x => x.Kind == SendKind.Warmup).ToList();
        Assert.All(warmup, r => Assert.Equal(SendState.Sent, r.State));
        var delivered = await RigDeliveries.CountAsync(network, warmup.Select(r => r.MessageId!).ToList());
        Assert.All(delivered, d => Assert.True(d.Value == 1, $"{d.Key} arrived {d.Value} times"));
        process.Interrupt();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }
}
