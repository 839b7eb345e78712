using System.Net;
using System.Text.Json.Nodes;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Api;

/// <summary>Every area of the admin API over HTTP against Azurite and the mail rig: success and failure paths.</summary>
public class AdminApiTests
{
    private static readonly string Good = Rig.HealthMailboxes[3]; // h04@alpha.test
    private static readonly string Other = Rig.HealthMailboxes[4]; // h05@beta.test

    private static object MailboxBody(string address, string pool, string? password = null, bool test = true) => new
    {
        address,
        pool,
        smtp = new { host = Rig.Host, port = Rig.SubmissionPort, tls = "starttls" },
        imap = new { host = Rig.Host, port = Rig.ImapPort, tls = "starttls" },
        password = password ?? Rig.Users[address],
        appendToSent = true,
        test,
    };

    [Fact(Timeout = 60_000)]
    public async Task Auth_ProbeAnswersWithoutAKey_EveryOtherRouteNeedsIt_HeaderOrCode()
    {
        await using var api = await ApiServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/ping")).StatusCode);
        await ApiServer.ProblemAsync(await anonymous.GetAsync("/api/pools"), 401);
        anonymous.DefaultRequestHeaders.Add("x-functions-key", "wrong");
        await ApiServer.ProblemAsync(await anonymous.GetAsync("/api/pools"), 401);
        using var byCode = new HttpClient { BaseAddress = api.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await byCode.GetAsync($"/api/pools?code={ApiServer.Key}")).StatusCode);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/nothing-here"), 404);
        await ApiServer.ProblemAsync(await api.Client.PatchAsync("/api/pools", null), 405);

        // local mode serves the document that is checked in (and that the Functions test compares with the HTTP functions)
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EmailInfra.Functions.sln")))
        {
            root = root.Parent!;
        }

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "openapi.json")), await api.Client.GetStringAsync("/api/openapi.json"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Pools_CreateReadListPageUpdateWithETag_DeleteOnlyWhenEmpty()
    {
        await using var api = await ApiServer.StartAsync();
        var created = await api.SendJsonAsync(HttpMethod.Post, "/api/pools", new { id = "p1", description = "first", timeZone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/pools/p1", created.Headers.Location?.OriginalString);
        var etag = created.Headers.ETag!.Tag;
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/pools", new { id = "p1" }), 409);
        var invalid = await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/pools", new { id = "Bad Id", timeZone = "Mars/Olympus" }), 400);
        Assert.NotNull(invalid["errors"]!["id"]);
        Assert.NotNull(invalid["errors"]!["timeZone"]);
        foreach (var id in new[] { "p2", "p3" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.SendJsonAsync(HttpMethod.Post, "/api/pools", new { id })).StatusCode);
        }

        var first = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/pools?limit=2"));
        Assert.Equal(["p1", "p2"], first["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var second = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/pools?limit=2&after=" + first["next"]!.GetValue<string>()));
        Assert.Equal(["p3"], second["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Null(second["next"]);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/pools?limit=0"), 400);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/pools?after=%%%"), 400);

        var updated = await api.SendJsonAsync(HttpMethod.Put, "/api/pools/p1", new { description = "renamed" }, etag);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("renamed", (await ApiServer.JsonAsync(updated))["description"]!.GetValue<string>());
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Put, "/api/pools/p1", new { description = "stale" }, etag), 409);
        Assert.Equal("renamed", (await ApiServer.JsonAsync(await api.Client.GetAsync("/api/pools/p1")))["description"]!.GetValue<string>());

        await api.Rig.RegisterRigMailboxAsync(Good, "p2");
        await ApiServer.ProblemAsync(await api.Client.DeleteAsync("/api/pools/p2"), 409);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync("/api/pools/p3")).StatusCode);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/pools/p3"), 404);
    }

    [Fact(Timeout = 90_000)]
    public async Task Domains_PrimaryRefusedUnlessForced_SelectorsUpdated_AuditRunAndListed()
    {
        await using var api = await ApiServer.StartAsync();
        var primary = await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/domains", new { name = "company.test" }), 409);
        Assert.Contains("primary business domain", primary["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await api.SendJsonAsync(HttpMethod.Post, "/api/domains", new { name = "company.test", force = true })).StatusCode);
        Assert.True((await ApiServer.JsonAsync(await api.Client.GetAsync("/api/domains/company.test")))["forced"]!.GetValue<bool>());
        var bad = await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/domains", new { name = "not a domain" }), 400);
        Assert.NotNull(bad["errors"]!["name"]);

        var created = await api.SendJsonAsync(HttpMethod.Post, "/api/domains", new { name = "alpha.test", dkimSelectors = new[] { "rig" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var update = await api.SendJsonAsync(HttpMethod.Put, "/api/domains/alpha.test", new { note = "cold domain 1" }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var view = await ApiServer.JsonAsync(update);
        Assert.Equal("rig", view["dkimSelectors"]![0]!.GetValue<string>());
        Assert.Equal("cold domain 1", view["note"]!.GetValue<string>());

        await api.Rig.RegisterRigMailboxAsync(Good, "p1");
        var audit = await api.SendJsonAsync(HttpMethod.Post, "/api/domains/alpha.test/audit", null);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        var report = await ApiServer.JsonAsync(audit);
        var checks = report["findings"]!.AsArray().Select(f => f!["check"]!.GetValue<string>()).ToList();
        Assert.Contains(checks, c => c.StartsWith("dkim", StringComparison.OrdinalIgnoreCase) && c.Contains("rig", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.StartsWith("spf", StringComparison.OrdinalIgnoreCase));
        var history = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/domains/alpha.test/audits?limit=5"));
        Assert.Single(history.AsArray());

        await ApiServer.ProblemAsync(await api.Client.DeleteAsync("/api/domains/alpha.test"), 409);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/domains/nowhere.test"), 404);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync("/api/domains/company.test")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Mailboxes_RegisteredAndTested_WrongPasswordLeftPausedAtSmtpAuth_UpdateRepairs_PasswordNeverShown()
    {
        await using var api = await ApiServer.StartAsync();
        var ok = await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes", MailboxBody(Good, "p1"));
        var okText = await ok.Content.ReadAsStringAsync();
        Assert.True(ok.StatusCode == HttpStatusCode.Created, okText);
        var okBody = JsonNode.Parse(okText)!;
        Assert.True(okBody["test"]!["ok"]!.GetValue<bool>(), okText);
        var steps = okBody["test"]!["steps"]!.AsArray().Select(s => $"{s!["protocol"]} {s["step"]}").ToList();
        Assert.Equal(["smtp connect", "smtp ehlo", "smtp starttls", "smtp auth", "imap connect", "imap starttls", "imap login", "imap inbox", "imap sent", "imap junk"], steps);
        Assert.Equal("warming", okBody["mailbox"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain(Rig.Users[Good], okText, StringComparison.Ordinal);
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes", MailboxBody(Good, "p1")), 409);

        var wrong = await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes", MailboxBody(Other, "p1", password: "not-the-password"));
        var wrongBody = await ApiServer.JsonAsync(wrong);
        Assert.Equal(HttpStatusCode.Created, wrong.StatusCode);
        Assert.False(wrongBody["test"]!["ok"]!.GetValue<bool>());
        var failed = wrongBody["test"]!["steps"]!.AsArray().First(s => !s!["ok"]!.GetValue<bool>())!;
        Assert.Equal("smtp", failed["protocol"]!.GetValue<string>());
        Assert.Equal("auth", failed["step"]!.GetValue<string>());
        Assert.Equal("paused", wrongBody["mailbox"]!["state"]!.GetValue<string>());
        Assert.Equal(MailboxState.Paused, (await api.Rig.Get<IMailboxStore>().GetAsync("p1", Other, default))!.State);

        var current = await api.Client.GetAsync("/api/mailboxes/" + Other);
        var etag = current.Headers.ETag!.Tag;
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Put, "/api/mailboxes/" + Other, new { password = Rig.Users[Other] }, "\"stale\""), 409);
        var repaired = await api.SendJsonAsync(HttpMethod.Put, "/api/mailboxes/" + Other, new { password = Rig.Users[Other] }, etag);
        var repairedText = await repaired.Content.ReadAsStringAsync();
        Assert.True(repaired.StatusCode == HttpStatusCode.OK, repairedText);
        Assert.Equal("warming", JsonNode.Parse(repairedText)!["mailbox"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain(Rig.Users[Other], repairedText, StringComparison.Ordinal);

        var list = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/mailboxes?pool=p1&state=warming"));
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.DoesNotContain("secret", list.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/mailboxes?state=sleeping"), 400);

        var test = await ApiServer.JsonAsync(await api.Client.PostAsync($"/api/mailboxes/{Good}/test", null));
        Assert.True(test["ok"]!.GetValue<bool>());
        var secretName = (await api.Rig.Get<IMailboxStore>().GetAsync("p1", Good, default))!.SecretName;
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync("/api/mailboxes/" + Good)).StatusCode);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/mailboxes/" + Good), 404);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => api.Rig.Get<Core.Secrets.ISecretStore>().GetAsync(secretName, default)); // its password is gone too
        var invalid = await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes", new
        {
            address = "not-an-address", pool = "p1", smtp = new { host = "bad host", port = 70000 }, imap = new { host = Rig.Host, port = 993, tls = "sometimes" }, password = "",
        }), 400);
        Assert.Equal(["address", "imap.tls", "password", "smtp.host", "smtp.port"], invalid["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes", new { address = "x@company.test", pool = "p1", smtp = new { host = Rig.Host, port = 587 }, imap = new { host = Rig.Host, port = 993 }, password = "x", test = false }), 409);
    }

    [Fact(Timeout = 120_000)]
    public async Task CsvImport_EachRowValidatedRegisteredAndReported()
    {
        await using var api = await ApiServer.StartAsync();
        var csv = string.Join('\n',
            "address,pool,smtp_host,smtp_port,smtp_tls,imap_host,imap_port,imap_tls,password,append_to_sent",
            $"{Good},p1,{Rig.Host},{Rig.SubmissionPort},starttls,{Rig.Host},{Rig.ImapPort},starttls,{Rig.Users[Good]},true",
            $"{Other},p1,{Rig.Host},{Rig.SubmissionPort},starttls,{Rig.Host},{Rig.ImapPort},starttls,wrong-password,true",
            $"broken,p1,{Rig.Host},{Rig.SubmissionPort},starttls,{Rig.Host},{Rig.ImapPort},starttls,x,true",
            $"{Rig.HealthMailboxes[5]},p1,{Rig.Host},not-a-port,starttls,{Rig.Host},{Rig.ImapPort},starttls,x,true",
            string.Empty,
            $"{Good},p1,{Rig.Host},{Rig.SubmissionPort},starttls,{Rig.Host},{Rig.ImapPort},starttls,{Rig.Users[Good]},true");
        var response = await api.PostCsvAsync("/api/mailboxes/import", csv);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var report = JsonNode.Parse(text)!;
        Assert.Equal(5, report["rows"]!.GetValue<int>());
        Assert.Equal(1, report["registered"]!.GetValue<int>());
        Assert.Equal(1, report["paused"]!.GetValue<int>());
        Assert.Equal(3, report["invalid"]!.GetValue<int>());
        var outcomes = report["results"]!.AsArray().Select(r => $"{r!["line"]}:{r["outcome"]}").ToList();
        Assert.Equal(["2:registered", "3:paused", "4:invalid", "5:invalid", "7:invalid"], outcomes);
        Assert.NotNull(report["results"]![2]!["errors"]!["address"]);
        Assert.NotNull(report["results"]![3]!["errors"]!["smtp_port"]);
        Assert.DoesNotContain("wrong-password", text, StringComparison.Ordinal);
        Assert.Equal(2, (await api.Rig.Get<IMailboxStore>().ListPoolAsync("p1", default)).Count);

        var missing = await ApiServer.ProblemAsync(await api.PostCsvAsync("/api/mailboxes/import", "address,pool\nx@y.test,p1"), 400);
        Assert.Contains("smtp_host", missing["errors"]!["header"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/mailboxes/import", "{}"), 415);
    }

    [Fact(Timeout = 60_000)]
    public async Task Outbound_EnqueuedThroughAPool_StatusReadable_OwnIdMakesARetrySafe()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Rig.RegisterRigMailboxAsync(Good, "p1");
        var body = new { pool = "p1", to = "dave@beta.test", subject = "Hello", text = "Hi Dave", id = "campaign-7-row-1" };
        var queued = await api.SendJsonAsync(HttpMethod.Post, "/api/outbound", body);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal("/api/outbound/p1/campaign-7-row-1", queued.Headers.Location?.OriginalString);
        var status = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/outbound/p1/campaign-7-row-1"));
        Assert.Equal("pending", status["state"]!.GetValue<string>());
        Assert.Equal("dave@beta.test", status["recipient"]!.GetValue<string>());
        var again = await api.SendJsonAsync(HttpMethod.Post, "/api/outbound", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var bad = await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/outbound", new { pool = "nowhere", to = "not an address", subject = "x", text = "y" }), 400);
        Assert.NotNull(bad["errors"]!["to"]);
        Assert.NotNull(bad["errors"]!["pool"]);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/outbound/p1/unknown-id"), 404);
    }

    [Fact(Timeout = 60_000)]
    public async Task Health_OverridePausesTheMailbox_RecordedAsAnEvent_ResumeLiftsIt()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Rig.RegisterRigMailboxAsync(Good, "p1");
        Assert.Equal("clear", (await ApiServer.JsonAsync(await api.Client.GetAsync($"/api/health/mailbox/{Good}")))["level"]!.GetValue<string>());
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/health/mailbox/{Good}/override") { Content = System.Net.Http.Json.JsonContent.Create(new { level = "paused", note = "checking copy" }) };
        request.Headers.Add("X-EmailInfra-Actor", "ops@agency.test");
        var paused = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("paused", (await ApiServer.JsonAsync(paused))["level"]!.GetValue<string>());
        Assert.Equal(MailboxState.Paused, (await api.Rig.Get<IMailboxStore>().GetAsync("p1", Good, default))!.State);
        var events = await ApiServer.JsonAsync(await api.Client.GetAsync($"/api/health/mailbox/{Good}/events"));
        Assert.Equal("override", events[0]!["kind"]!.GetValue<string>());
        Assert.Equal("ops@agency.test", events[0]!["actor"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await api.SendJsonAsync(HttpMethod.Post, $"/api/health/mailbox/{Good}/override", new { level = "resume" })).StatusCode);
        Assert.True((await api.Rig.Get<IMailboxStore>().GetAsync("p1", Good, default))!.IsActive);

        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, $"/api/health/mailbox/{Good}/override", new { level = "asleep" }), 400);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/health/mailbox/nobody@alpha.test"), 404);
        await ApiServer.ProblemAsync(await api.Client.GetAsync("/api/health/planet/mars"), 404);
        Assert.Equal("clear", (await ApiServer.JsonAsync(await api.Client.GetAsync("/api/health/pool/p1")))["level"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_DailySeriesPerMailbox_SummedPerPool()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Rig.RegisterRigMailboxAsync(Good, "p1");
        await api.Rig.RegisterRigMailboxAsync(Other, "p1");
        var metrics = api.Rig.Get<IMetricsStore>();
        var day = new DateOnly(2026, 11, 30);
        await metrics.CountOnceAsync(Good, day, MailboxMetric.Sent, "s1", [MetricBreakdown.ByProvider(MailboxMetric.Sent, "gmail")], default);
        await metrics.CountOnceAsync(Good, day, MailboxMetric.Sent, "s2", default);
        await metrics.CountOnceAsync(Other, day, MailboxMetric.Sent, "s3", default);
        await metrics.CountOnceAsync(Other, day.AddDays(1), MailboxMetric.Complaints, "c1", default);
        var one = await ApiServer.JsonAsync(await api.Client.GetAsync($"/api/metrics/mailbox/{Good}?from=2026-11-01&to=2026-11-30"));
        Assert.Equal(2, one["days"]![0]!["counts"]!["sent"]!.GetValue<long>());
        Assert.Equal(1, one["days"]![0]!["breakdown"]!.AsObject().Single().Value!.GetValue<long>());
        var pool = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/metrics/pool/p1?from=2026-11-01&to=2026-12-01"));
        Assert.Equal(2, pool["mailboxes"]!.GetValue<int>());
        Assert.Equal(3, pool["days"]![0]!["counts"]!["sent"]!.GetValue<long>());
        Assert.Equal(1, pool["days"]![1]!["counts"]!["complaints"]!.GetValue<long>());
        await ApiServer.ProblemAsync(await api.Client.GetAsync($"/api/metrics/mailbox/{Good}?from=30-11-2026"), 400);
        await ApiServer.ProblemAsync(await api.Client.GetAsync($"/api/metrics/mailbox/{Good}?from=2020-01-01&to=2026-01-01"), 400);
    }

    [Fact(Timeout = 60_000)]
    public async Task Suppressions_AddReadListRemoveImport()
    {
        await using var api = await ApiServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.SendJsonAsync(HttpMethod.Put, "/api/suppressions/Someone@Example.test", new { reason = "unsubscribed" })).StatusCode);
        Assert.True(await api.Rig.Get<ISuppressionList>().IsSuppressedAsync("someone@example.test", default));
        Assert.Contains("unsubscribed", (await ApiServer.JsonAsync(await api.Client.GetAsync("/api/suppressions/someone@example.test")))["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var import = await ApiServer.JsonAsync(await api.PostCsvAsync("/api/suppressions/import", "email,reason\na@example.test,do-not-contact\nnot an address,x\nb@example.test,\n"));
        Assert.Equal(2, import["added"]!.GetValue<int>());
        Assert.Equal(3, import["invalid"]![0]!["line"]!.GetValue<int>());
        var list = await ApiServer.JsonAsync(await api.Client.GetAsync("/api/suppressions"));
        Assert.Equal(["a@example.test", "b@example.test", "someone@example.test"], list["items"]!.AsArray().Select(s => s!["address"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync("/api/suppressions/a@example.test")).StatusCode);
        await ApiServer.ProblemAsync(await api.Client.DeleteAsync("/api/suppressions/a@example.test"), 404);
        Assert.False(await api.Rig.Get<ISuppressionList>().IsSuppressedAsync("a@example.test", default));
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Put, "/api/suppressions/x@example.test", new { reason = "" }), 400);
    }

    [Fact(Timeout = 120_000)]
    public async Task Warmup_StartPauseStopThroughTheApi_RaiseTheDaysEvents()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Warmup:DayLength"] = "00:05:00",
            ["Warmup:Epoch"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:00",
            ["Warmup:WindowLength"] = "00:01:00",
            ["Warmup:SettleTime"] = "00:00:02",
            ["Warmup:MinimumGap"] = "00:00:05",
            ["Warmup:ControlCheck"] = "00:00:01",
        };
        await using var api = await ApiServer.StartAsync(settings, withDurable: true);
        await api.Rig.RegisterRigMailboxAsync(Good, "wp");
        await api.Rig.RegisterRigMailboxAsync(Other, "wp");
        var started = await ApiServer.JsonAsync(await api.Client.PostAsync("/api/pools/wp/warmup/start", null));
        Assert.Equal(["started", "started"], started["mailboxes"]!.AsArray().Select(m => m!["outcome"]!.GetValue<string>()));
        var again = await ApiServer.JsonAsync(await api.Client.PostAsync($"/api/mailboxes/{Good}/warmup/start", null));
        Assert.Equal("unchanged", again["mailboxes"]![0]!["outcome"]!.GetValue<string>());
        var paused = await ApiServer.JsonAsync(await api.Client.PostAsync($"/api/mailboxes/{Good}/warmup/pause", null));
        Assert.Equal("paused", paused["mailboxes"]![0]!["outcome"]!.GetValue<string>());
        // retiring the first mailbox's domain stops its day at once; the pool's stop reaches the other one
        Assert.Equal(HttpStatusCode.OK, (await api.SendJsonAsync(HttpMethod.Post, "/api/health/domain/alpha.test/override", new { level = "retired", note = "burnt" })).StatusCode);
        Assert.Equal(MailboxState.Retired, (await api.Rig.Get<IMailboxStore>().GetAsync("wp", Good, default))!.State);
        var warmDay = DateOnly.Parse(started["mailboxes"]![0]!["day"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var retiredDay = await Eventually.WaitAsync(() => api.Rig.Get<Core.Warmup.IWarmupJournal>().GetAsync(Good, warmDay, default), r => r?.Outcome == "stopped", TimeSpan.FromSeconds(30));
        Assert.Equal("stopped", retiredDay?.Outcome);
        var stopped = await ApiServer.JsonAsync(await api.Client.PostAsync("/api/pools/wp/warmup/stop", null));
        Assert.Equal("stopped", stopped["mailboxes"]!.AsArray().Single(m => m!["mailbox"]!.GetValue<string>() == Other)!["outcome"]!.GetValue<string>());

        // the stops reach the days: both finish early, as stopped
        var journal = api.Rig.Get<Core.Warmup.IWarmupJournal>();
        var day = DateOnly.Parse(started["mailboxes"]![0]!["day"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var records = await Eventually.WaitAsync(
            async () => new[] { await journal.GetAsync(Good, day, default), await journal.GetAsync(Other, day, default) },
            r => r.All(x => x?.Outcome == "stopped"),
            TimeSpan.FromSeconds(40));
        Assert.All(records, r => Assert.Equal("stopped", r?.Outcome));
        await ApiServer.ProblemAsync(await api.Client.PostAsync($"/api/mailboxes/{Good}/warmup/explode", null), 404);
        await ApiServer.ProblemAsync(await api.Client.PostAsync("/api/pools/none/warmup/start", null), 404);
    }
}
