using System.Globalization;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Testing;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmailInfra.Functions.Tests.Warmup;

/// <summary>
/// The warm-up orchestration on the Durable Task engine (in-process test host, real replay and timers) with its activities
/// on the rig's storage and mail servers. Days are numbered and short; the current one opened a second ago.
/// </summary>
internal sealed class WarmupHarness : IAsyncDisposable
{
    public const string Pool = "warm";

    private WarmupHarness(RigServices rig, DurableTaskTestHost host, DateOnly day)
    {
        Rig = rig;
        Host = host;
        Day = day;
    }

    public RigServices Rig { get; }

    public DurableTaskTestHost Host { get; }

    /// <summary>Today's sending day.</summary>
    public DateOnly Day { get; }

    public static async Task<WarmupHarness> StartAsync(IReadOnlyList<string> mailboxes, TimeSpan window, TimeSpan settle, IDictionary<string, string?>? settings = null)
    {
        EmailInfra.Testing.Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var epoch = DateTimeOffset.UtcNow.AddSeconds(-1);
        var all = new Dictionary<string, string?>
        {
            ["Warmup:DayLength"] = "00:05:00",
            ["Warmup:Epoch"] = epoch.ToString("O", CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:00",
            ["Warmup:WindowLength"] = window.ToString("c", CultureInfo.InvariantCulture),
            ["Warmup:SettleTime"] = settle.ToString("c", CultureInfo.InvariantCulture),
            ["Warmup:MinimumGap"] = "00:00:00.500",
            ["Warmup:ReplyDelayMin"] = "00:00:00",
            ["Warmup:ReplyDelayMax"] = "00:00:01",
            ["Warmup:ControlCheck"] = "00:00:01", // the in-process engine delivers events when a timer fires
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var rig = new RigServices(all);
        foreach (var address in mailboxes)
        {
            await rig.RegisterRigMailboxAsync(address, Pool);
        }

        var service = rig.Get<WarmupDayService>();
        // The test host listens on a port it picks at random; one already taken (an outgoing connection's ephemeral
        // port, another harness) fails the bind, so a few other picks are tried.
        DurableTaskTestHost? host = null;
        for (var attempt = 1; host is null; attempt++)
        {
            try
            {
                host = await DurableTaskTestHost.StartAsync(
                    r => r.AddWarmupTasks(),
                    new DurableTaskTestHostOptions { LoggerFactory = NullLoggerFactory.Instance, ConfigureServices = s => s.AddSingleton(service) });
            }
            catch (IOException ex) when (attempt < 5 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }

        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync(Pool, default))!;
        return new WarmupHarness(rig, host, rig.Get<SendingCalendar>().DayOf(DateTimeOffset.UtcNow, pool));
    }

    public WarmupDayInput Input(string mailbox) => new(mailbox, Pool, Day);

    public async Task<IReadOnlyList<LedgerEntry>> RowsAsync(string mailbox) => await Rig.Get<ISendLedger>().ListDayAsync(mailbox, Day, default);

    /// <summary>Waits for the plan activity to have written its rows, and returns them; fails with the orchestration's state if it did not.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> PlannedAsync(string mailbox)
    {
        var rows = await Eventually.WaitAsync(
            async () => (await Rig.Get<IWarmupJournal>().GetAsync(mailbox, Day, default)) is not null ? await RowsAsync(mailbox) : null,
            rows => rows is { Count: > 0 },
            TimeSpan.FromSeconds(20));
        if (rows is not { Count: > 0 })
        {
            var state = await Host.Client.GetInstanceAsync(Input(mailbox).InstanceId, getInputsAndOutputs: true);
            Assert.Fail($"no plan for {mailbox}: orchestration {state?.RuntimeStatus} {state?.FailureDetails?.ErrorType} {state?.FailureDetails?.ErrorMessage} {state?.FailureDetails?.StackTrace}");
        }

        return rows!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Rig.DisposeAsync();
    }
}
