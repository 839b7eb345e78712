using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using EmailInfra.Core.Api;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Api;

/// <summary>
/// Every route of the admin API gets malformed JSON, wrong types, missing and unknown fields, bodies over 1 MiB, invalid and
/// unknown ids, control characters (header injection) and bad query values: never a 5xx, always a problem+json body for a
/// refusal, and no row or queue message changed in storage.
/// </summary>
public class AdminApiFuzzTests(ITestOutputHelper output)
{
    private static readonly string Existing = Rig.HealthMailboxes[3];

    /// <summary>Values for each route parameter that are not valid ids at all.</summary>
    /// <remarks>No %00: Kestrel refuses a NUL in the path as a malformed request line (a bare 400) before any handler runs.</remarks>
    private static readonly string[] InvalidIds =
    [
        "not%20valid", "%0D%0ASet-Cookie:%20x=1", "..%2F..%2Fetc%2Fpasswd", new string('a', 2000), "%E2%80%AE", "a@b@c", "-", "%22%3E%3Cscript%3E",
    ];

    private static readonly Dictionary<string, string> UnknownIds = new()
    {
        ["domain"] = "unknown-domain.test", ["pool"] = "no-such-pool", ["address"] = "nobody@alpha.test", ["kind"] = "mailbox", ["id"] = "nobody@alpha.test", ["action"] = "start",
    };

    private static readonly Dictionary<string, string> ExistingIds = new()
    {
        ["domain"] = "alpha.test", ["pool"] = "p1", ["address"] = Existing, ["kind"] = "mailbox", ["id"] = Existing, ["action"] = "explode",
    };

    private static readonly string[] BadJson =
    [
        "{\"a\":", "[]", "null", "\"text\"", "42", "{\"address\": 5, \"pool\": [], \"name\": {}, \"id\": true, \"level\": 7, \"reason\": false, \"to\": 1}",
        "{}", "{\"unknownField\": 1}", new string('[', 5000) + new string(']', 5000), "{\"name\": \"x\u0000\"}", "\u00ff\u00fe garbage",
        "{\"name\": \"evil.test\\r\\nBcc: victim@x.test\", \"id\": \"p\\r\\n1\", \"description\": \"a\\r\\nb\", \"note\": \"x\\r\\ny\", \"reason\": \"r\\n\", \"level\": \"paused\\r\\n\", \"to\": \"a@b.test\\r\\nBcc: c@d.test\", \"subject\": \"Hi\\r\\nBcc: c@d.test\", \"text\": \"t\", \"pool\": \"p1\"}",
        "{\"smtp\": {\"host\": \"h\", \"port\": \"587\"}, \"imap\": {\"host\": \"h\", \"port\": 99999999999}, \"password\": null, \"address\": \"x@alpha.test\", \"pool\": \"p1\"}",
        "{\"ips\": [\"999.1.1.1\"], \"selectors\": [\"bad selector\"]}",
    ];

    [Fact(Timeout = 240_000)]
    public async Task EveryRoute_MalformedInput_NeverA5xx_AlwaysAProblem_StorageUnchanged()
    {
        await using var api = await ApiServer.StartAsync(withDurable: true);
        await api.Rig.RegisterRigMailboxAsync(Existing, "p1");
        await api.Rig.Get<Core.Reputation.ISuppressionList>().AddAsync("kept@example.test", "operator: test", "seed", default);
        var routes = api.Rig.Get<AdminApi>().Routes;
        var before = await SnapshotAsync(api.Rig.Prefix);
        var oversize = new string('x', AdminApi.MaxBodyBytes + 10);
        var requests = 0;
        var failures = new List<string>();

        async Task CheckAsync(HttpRequestMessage request, string what)
        {
            requests++;
            using var response = await api.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            var media = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500 || (status >= 400 && media != "application/problem+json"))
            {
                failures.Add($"{what}: {status} {media} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }

        foreach (var route in routes)
        {
            // invalid ids in each parameter, the others unknown-but-valid
            foreach (var parameter in route.RouteParameters)
            {
                foreach (var bad in InvalidIds)
                {
                    await CheckAsync(new HttpRequestMessage(new HttpMethod(route.Method), Path(route, UnknownIds, parameter, bad)), $"{route.Name} {parameter}={Shorten(bad)}");
                }
            }

            // unknown ids: never found, never created (routes with no parameter are lists, creations and the probe: left to the body cases)
            if (route.RouteParameters.Count > 0 && route.Name is not ("ControlMailboxWarmup" or "ControlPoolWarmup"))
            {
                await CheckAsync(new HttpRequestMessage(new HttpMethod(route.Method), Path(route, UnknownIds)), $"{route.Name} unknown ids");
            }

            if (route.RequestBody is not null)
            {
                // "{}" is a valid request where every field is optional (an update that changes nothing, an audit of the defaults)
                foreach (var body in BadJson.Where(b => b != "{}" || HasRequiredField(route.RequestBody)))
                {
                    await CheckAsync(Request(route, ExistingIds, body, "application/json"), $"{route.Name} body {Shorten(body)}");
                }

                await CheckAsync(Request(route, ExistingIds, "{\"name\":\"x\"}", "text/plain"), $"{route.Name} text/plain");
                await CheckAsync(Request(route, ExistingIds, "{\"name\":\"" + oversize + "\"}", "application/json"), $"{route.Name} over 1 MiB");
                if (route.Conditional)
                {
                    var conditional = Request(route, ExistingIds, "{}", "application/json");
                    conditional.Headers.TryAddWithoutValidation("If-Match", "\"garbage;!@#\"");
                    await CheckAsync(conditional, $"{route.Name} garbage If-Match");
                }
            }
            else if (route.RequestContentType == "text/csv")
            {
                foreach (var csv in new[] { string.Empty, "nothing,useful\n1,2", "\"unterminated,quote\n", "\u0000\u0001\u0002", "email\n\"evil@alpha.test\r\nBcc: x@y.test\"\n" })
                {
                    await CheckAsync(Request(route, ExistingIds, csv, "text/csv"), $"{route.Name} csv {Shorten(csv)}");
                }

                await CheckAsync(Request(route, ExistingIds, "{}", "application/json"), $"{route.Name} json instead of csv");
                await CheckAsync(Request(route, ExistingIds, "email\n" + oversize, "text/csv"), $"{route.Name} csv over 1 MiB");
            }

            if (route.Method == "GET")
            {
                foreach (var query in new[] { "limit=-1", "limit=abc", "limit=99999999999999", "after=%25%25%25", "after=" + new string('z', 3000), "state=sleeping", "from=2026-13-01", "to=yesterday", "pool=Bad%20Pool", "domain=%0D%0A" })
                {
                    await CheckAsync(new HttpRequestMessage(HttpMethod.Get, Path(route, ExistingIds) + "?" + query), $"{route.Name} ?{query}");
                }
            }
        }

        var actor = new HttpRequestMessage(HttpMethod.Post, $"/api/health/mailbox/{Existing}/override") { Content = new StringContent("{\"level\":\"paused\"}", Encoding.UTF8, "application/json") };
        actor.Headers.TryAddWithoutValidation("X-EmailInfra-Actor", "<script>; DROP TABLE");
        await CheckAsync(actor, "override with a hostile actor header");

        output.WriteLine($"{requests} requests over {routes.Count} routes");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Equal(before, await SnapshotAsync(api.Rig.Prefix));
    }

    private static bool HasRequiredField(Type body) =>
        body.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters().Any(p => !p.HasDefaultValue);

    private static string Path(ApiRoute route, Dictionary<string, string> ids, string? replace = null, string? with = null) =>
        "/api/" + string.Join('/', route.Template.Split('/').Select(s =>
            s.StartsWith('{') ? (s[1..^1] == replace ? with! : Uri.EscapeDataString(ids[s[1..^1]])) : s));

    private static HttpRequestMessage Request(ApiRoute route, Dictionary<string, string> ids, string body, string mediaType) =>
        new(new HttpMethod(route.Method), Path(route, ids)) { Content = new StringContent(body, new MediaTypeHeaderValue(mediaType)) };

    /// <summary>Every row (with its version) of this test's tables, and every queue's message count.</summary>
    private static async Task<string> SnapshotAsync(string prefix)
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(Rig.StorageConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                lines.Add($"{table.Name} {row.PartitionKey} {row.RowKey} {row.ETag}");
            }
        }

        var queues = new QueueServiceClient(Rig.StorageConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix.ToLowerInvariant()))
        {
            var properties = await queues.GetQueueClient(queue.Name).GetPropertiesAsync();
            lines.Add($"queue {queue.Name} {properties.Value.ApproximateMessagesCount}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
