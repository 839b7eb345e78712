using System.Diagnostics;
using System.Globalization;
using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// `emailinfra run --demo`: the loopback mail rig of the repository (Postfix, Dovecot, OpenDKIM, Knot, Azurite) as the
/// demo's mail system, four demo mailboxes in one pool, and warm-up on short days (<see cref="DayLength"/>) through the
/// same code as real days, so a newcomer watches several days of ramp in minutes, at any hour.
/// </summary>
/// <remarks>
/// The rig files all mail to <see cref="JunkPeer"/> in its Junk folder, as a strict provider's filter would: its poller
/// finds the pool's warm-up mail there and rescues it, and the senders' placement shows junk. One outbound email to an
/// address the rig's remote MX does not know bounces.
/// </remarks>
public sealed partial class LocalDemo(IServiceProvider services, ILogger<LocalDemo> logger)
{
    public const string Pool = "demo";

    public const string JunkPeer = "demo3@gamma.test";

    public static readonly TimeSpan DayLength = TimeSpan.FromMinutes(2);

    /// <summary>The demo's mailboxes (rig users with these passwords; see scripts/rig.sh).</summary>
    public static readonly IReadOnlyList<string> Mailboxes = ["demo1@alpha.test", "demo2@beta.test", JunkPeer, "demo4@alpha.test"];

    /// <summary>The rig's settings file (.rig/rig.env) above the working folder or the app's, or under EMAILINFRA_RIG_DIR.</summary>
    public static string? FindRigEnvironment()
    {
        if (Environment.GetEnvironmentVariable("EMAILINFRA_RIG_DIR") is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "rig.env")))
        {
            return Path.Combine(dir, "rig.env");
        }

        return LocalPaths.FindAbove(Path.Combine(".rig", "rig.env"));
    }

    /// <summary>The repository's scripts/rig.sh above the working folder or the app's.</summary>
    public static string? FindRigScript() => LocalPaths.FindAbove(Path.Combine("scripts", "rig.sh"));

    /// <summary>
    /// The rig's settings for the demo: where its storage, certificate and DNS are, and days of <see cref="DayLength"/>
    /// starting at <paramref name="epoch"/> (kept from the first demo run, so a restart continues the same days).
    /// </summary>
    public static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string> rig, DateTimeOffset epoch, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(rig);
        string Rig(string key) => rig.TryGetValue(key, out var v) ? v : throw new InvalidOperationException($"the rig's rig.env has no {key}; run scripts/rig.sh start again");
        return new Dictionary<string, string?>
        {
            ["EmailInfraStorage"] = Rig("EMAILINFRA_RIG_STORAGE"),
            ["MailTransport:TrustedCertificateFiles:0"] = Rig("EMAILINFRA_RIG_CERT"),
            ["Dns:Servers:0"] = Rig("EMAILINFRA_RIG_DNS"),
            ["Secrets:LocalPath"] = Path.Combine(dataDir, "secrets"),
            ["Local:StartAzurite"] = "false",
            ["Local:StatusInterval"] = "00:00:30",
            ["Sending:LimitsFile"] = Path.Combine(AppContext.BaseDirectory, "demo-sending-limits.json"),
            ["Audit:IpBlocklists:0"] = "zen.test",
            ["Audit:DomainBlocklists:0"] = "zen.test",

            // two-minute days: a minute of sending, forty seconds to settle, twenty to spare; ramp and reply delays to match
            ["Warmup:DayLength"] = DayLength.ToString("c", CultureInfo.InvariantCulture),
            ["Warmup:Epoch"] = epoch.ToString("o", CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:05",
            ["Warmup:WindowLength"] = "00:01:00",
            ["Warmup:SettleTime"] = "00:00:40",
            ["Warmup:MinimumGap"] = "00:00:02",
            ["Warmup:ReplyDelayMin"] = "00:00:05",
            ["Warmup:ReplyDelayMax"] = "00:00:20",
            ["Warmup:Ramp:StartVolume"] = "3",
            ["Warmup:Ramp:DailyIncrement"] = "2",
            ["Warmup:Ramp:Target"] = "15",
            ["Warmup:Ramp:MaintenanceVolume"] = "5",
            ["Warmup:Ramp:ReplyRate"] = "0.5",

            // the strict peer files a third of each sender's warm-up mail in junk; the ramp's junk gates sit above that, so
            // the demo's ramp grows on the other days, while the pool's per-provider junk rule still throttles it once
            ["Warmup:Ramp:JunkAmber"] = "0.40",
            ["Warmup:Ramp:JunkRed"] = "0.60",
            ["WarmupSchedule"] = "*/10 * * * * *",
            ["PollSchedule"] = "*/10 * * * * *",
            ["Polling:Interval"] = "00:00:10",
            ["HealthSchedule"] = "*/30 * * * * *",
            ["AuditSchedule"] = "0 */10 * * * *",
            ["SweepSchedule"] = "0 * * * * *",
        };
    }

    /// <summary>Reads KEY=VALUE lines of rig.env.</summary>
    public static Dictionary<string, string> ReadRigEnvironment(string path) =>
        File.ReadAllLines(path)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim(), l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.Ordinal);

    /// <summary>The demo's first day: kept in the data folder, so the days go on across restarts.</summary>
    public static DateTimeOffset Epoch(string dataDir, DateTimeOffset now)
    {
        var file = Path.Combine(dataDir, "demo-epoch");
        if (File.Exists(file) && DateTimeOffset.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var kept))
        {
            return kept;
        }

        Directory.CreateDirectory(dataDir);
        var epoch = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        File.WriteAllText(file, epoch.ToString("o", CultureInfo.InvariantCulture));
        return epoch;
    }

    /// <summary>Starts the rig with the repository's script when it is not running (it needs root: apt-get, Postfix).</summary>
    public static async Task<string> EnsureRigAsync(CancellationToken ct)
    {
        if (FindRigEnvironment() is { } env && await RigAnswersAsync(ReadRigEnvironment(env), ct).ConfigureAwait(false))
        {
            return env;
        }

        var script = FindRigScript() ?? throw new InvalidOperationException(
            "--demo needs the repository's mail rig: run emailinfra from a clone (scripts/rig.sh), or start the rig and set EMAILINFRA_RIG_DIR to its .rig folder");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run " + script);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} start failed with exit code {process.ExitCode} (it needs root)");
        }

        return FindRigEnvironment() ?? throw new InvalidOperationException($"{script} start wrote no rig.env");
    }

    /// <summary>Registers what the demo needs, once (a restart finds it registered), and queues the email that bounces.</summary>
    public async Task ProvisionAsync(string dataDir, CancellationToken ct)
    {
        var store = services.GetRequiredService<IMailboxStore>();
        var onboarding = services.GetRequiredService<MailboxOnboarding>();
        foreach (var address in Mailboxes)
        {
            if (await store.FindByAddressAsync(address, ct).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var user = address[..address.IndexOf('@', StringComparison.Ordinal)];
            var (mailbox, test) = await onboarding.RegisterAsync(
                new MailboxRegistration(
                    address, Pool, new MailServerEndpoint("127.0.0.1", 2587, TlsMode.StartTls), new MailServerEndpoint("127.0.0.1", 2143, TlsMode.StartTls),
                    null, user + "-pw", AppendToSent: true, Force: false),
                test: true,
                ct).ConfigureAwait(false);
            Registered(logger, mailbox.Address, test is { Ok: true } ? "connection test passed" : "connection test failed: " + test?.Failure);
        }

        // the rig signs with selector "rig": registering it makes the demo's DKIM check read the published key
        var domains = services.GetRequiredService<IDomainStore>();
        foreach (var name in Mailboxes.Select(EmailAddress.DomainOf).Distinct(StringComparer.Ordinal))
        {
            if (await domains.GetAsync(name, ct).ConfigureAwait(false) is { } domain && !domain.DkimSelectors.Contains("rig", StringComparer.Ordinal))
            {
                await domains.TryWriteAsync(domain with { DkimSelectors = [.. domain.DkimSelectors, "rig"] }, ct).ConfigureAwait(false);
            }
        }

        var audited = await services.GetRequiredService<DomainAuditService>().AuditAllAsync([], ct).ConfigureAwait(false);

        // one email to an address the rig's remote MX refuses: its bounce reaches the sender's inbox and the poller. Queued
        // once per demo (a restart finds the marker); a warm-up kind, since warming mailboxes take no outbound yet
        var marker = Path.Combine(dataDir, "demo-bounce-queued");
        if (!File.Exists(marker))
        {
            await services.GetRequiredService<SendScheduler>().ScheduleAsync(
                new SendRequest(Mailboxes[0], "nobody@remote.test", SendKind.Warmup, DateTimeOffset.UtcNow.AddSeconds(20)), ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(marker, DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }

        Ready(logger, Mailboxes.Count, Pool, audited, DayLength.TotalMinutes);
    }

    private static async Task<bool> RigAnswersAsync(Dictionary<string, string> rig, CancellationToken ct) =>
        rig.ContainsKey("EMAILINFRA_RIG_STORAGE")
        && await LocalPaths.AnswersAsync(2587, ct).ConfigureAwait(false)
        && await LocalPaths.AnswersAsync(2143, ct).ConfigureAwait(false);

    [LoggerMessage(9012, LogLevel.Information, "Demo: registered {Mailbox} ({Test})")]
    private static partial void Registered(ILogger logger, string mailbox, string test);

    [LoggerMessage(9011, LogLevel.Information, "Demo ready: {Mailboxes} mailboxes in pool {Pool}, {Audited} domains audited; warm-up days last {Minutes} minutes. Open the dashboard.")]
    private static partial void Ready(ILogger logger, int mailboxes, string pool, int audited, double minutes);
}
