using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Dashboard;

/// <summary>
/// `emailinfra run --demo` as a newcomer starts it (its own table prefix and data folder), and its dashboard in headless
/// Chromium: the page loads, every chart renders with data, a bad key shows a clear message, the pause button pauses a
/// mailbox (checked through the API). Screenshots go to TestResults/dashboard.
/// </summary>
public sealed class DashboardDemoTests
{
    private const string Key = "demo-test-key-0123456789";

    [Fact]
    public async Task TheDemosDashboardShowsTheFleetAndPausesAMailbox()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns, RigService.Browser);
        var port = LoopbackPorts.Free();
        var data = Path.Combine(Path.GetTempPath(), "emailinfra-tests", "demo-" + Guid.NewGuid().ToString("N")[..8]);
        using var demo = EmailInfraProcess.Start(
            new Dictionary<string, string?>
            {
                ["EMAILINFRA_RIG_DIR"] = Rig.RigDir,
                ["Storage__NamePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
                ["Local__DataDir"] = data,
                ["Local__StatusInterval"] = "00:00:15",
                ["Api__Key"] = Key,
                ["Api__Url"] = $"http://127.0.0.1:{port}",
            },
            null,
            "run",
            "--demo");
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Add("x-functions-key", Key);
        try
        {
            // the demo's first minutes: warm-up mail placed (inbox and the strict peer's junk) and the outbound email bounced
            var from = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            long verdicts = 0;
            var ready = await Eventually.WaitAsync(
                async () =>
                {
                    Assert.False(demo.HasExited, "the demo stopped: " + demo.Output);
                    var metrics = await GetAsync(api, $"metrics/pool/demo?from={from}&to={DateOnly.FromDateTime(DateTime.UtcNow).AddDays(300):yyyy-MM-dd}", demo);
                    var counts = (metrics?["days"]?.AsArray() ?? []).Select(d => d!["counts"]!).ToList();
                    long Sum(string name) => counts.Sum(c => c[name]?.GetValue<long>() ?? 0);
                    verdicts = Sum("spfPass") + Sum("spfFail") + Sum("dkimPass") + Sum("dkimFail") + Sum("dmarcPass") + Sum("dmarcFail");
                    return Sum("placedInbox") > 0 && Sum("placedJunk") > 0 && Sum("hardBounces") > 0 && Sum("warmupReplies") > 0;
                },
                done => done,
                TimeSpan.FromMinutes(5),
                TimeSpan.FromSeconds(3));
            Assert.True(ready, "the demo produced no placement, bounce and reply in 5 minutes:\n" + demo.Output);

            var artifacts = Path.Combine(Directory.GetParent(Path.GetFullPath(Rig.RigDir!))!.FullName, "TestResults", "dashboard");
            // the rig's receivers write no Authentication-Results, so the verdicts chart may say "No data yet", and only then
            var (exit, stdout, stderr) = await RunCheckAsync(port, artifacts, verdicts == 0 ? ["--allow-empty", "auth-verdicts"] : []);
            var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1]);
            Assert.True(exit == 0 && result?["ok"]?.GetValue<bool>() == true, $"dashboard check failed ({exit}):\n{stdout}\n{stderr}");
            foreach (var shot in new[] { "bad-key.png", "overview.png", "mailbox.png", "bounces.png", "audits.png", "mailbox-paused.png" })
            {
                Assert.True(new FileInfo(Path.Combine(artifacts, shot)) is { Exists: true, Length: > 1000 }, shot + " was not saved");
            }

            // the pause button's effect, read back through the API by this test too
            var mailbox = await GetAsync(api, "mailboxes/demo1@alpha.test", demo);
            Assert.Equal("paused", mailbox?["state"]?.GetValue<string>());

            // the quiet console: the demo's events and status lines, no framework request logs
            var output = demo.Output;
            Assert.Contains(" sent ", output, StringComparison.Ordinal);
            Assert.Contains(" status ", output, StringComparison.Ordinal);
            Assert.Contains(" placement", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        }
        finally
        {
            demo.Interrupt();
            await demo.WaitForExitAsync(TimeSpan.FromSeconds(40));
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<JsonNode?> GetAsync(HttpClient api, string path, EmailInfraProcess demo)
    {
        try
        {
            using var response = await api.GetAsync(path);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }
        catch (HttpRequestException) when (!demo.HasExited)
        {
            return null; // the host is still starting
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunCheckAsync(int port, string artifacts, string[] extra)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Rig.DashboardCheckDir!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "dashboard-check.mjs", "--url", $"http://127.0.0.1:{port}/", "--key", Key, "--mailbox", "demo1@alpha.test", "--out", artifacts, "--leave-paused", "yes" }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CHROMIUM"] = Rig.ChromiumPath;
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode, await stdout, await stderr);
    }
}
