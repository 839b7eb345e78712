using System.Globalization;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Api;

/// <summary>Daily metric series per mailbox, or summed over a domain's or a pool's mailboxes.</summary>
public sealed class MetricEndpoints(IMetricsStore metrics, IMailboxStore mailboxes, TimeProvider time) : IApiEndpoints
{
    public const int MaxDays = 366;

    public IEnumerable<ApiRoute> Routes =>
    [
        new("GetMetrics", "GET", "metrics/{kind}/{id}", "Daily counts (sent, placement, bounces by reason, complaints, replies, receivers' verdicts) for a mailbox, domain or pool", GetAsync)
        {
            Tag = "Metrics", ResponseBody = typeof(MetricSeries),
            Query = [new("from", "First day, yyyy-MM-dd (default: 29 days before to)"), new("to", "Last day, yyyy-MM-dd (default: today, UTC)")],
        },
    ];

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var to = Day(request, "to") ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = Day(request, "from") ?? to.AddDays(-29);
        if (from > to || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw new InvalidRequestException("from", $"must be on or before to, at most {MaxDays} days before it");
        }

        var id = request.RouteValue("id");
        var kind = request.RouteValue("kind").ToLowerInvariant();
        IReadOnlyList<Mailbox> members = kind switch
        {
            "mailbox" => [await mailboxes.FindByAddressAsync(ApiViews.Address("id", id), ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The mailbox " + id)],
            "domain" => await OfDomainAsync(ApiViews.DomainName("id", id), ct).ConfigureAwait(false),
            "pool" => await mailboxes.GetPoolAsync(ApiViews.PoolId("id", id), ct).ConfigureAwait(false) is null
                ? throw ApiException.NotFound("The pool " + id)
                : await mailboxes.ListPoolAsync(id, ct).ConfigureAwait(false),
            _ => throw ApiException.NotFound("The scope kind (mailbox, domain or pool)"),
        };
        if (kind == "domain" && members.Count == 0)
        {
            throw ApiException.NotFound("A domain with mailboxes named " + ApiViews.DomainName("id", id));
        }

        var days = new SortedDictionary<DateOnly, (Dictionary<string, long> Counts, Dictionary<string, long> Breakdown)>();
        foreach (var mailbox in members)
        {
            foreach (var day in await metrics.GetRangeAsync(mailbox.Address, from, to, ct).ConfigureAwait(false))
            {
                if (!days.TryGetValue(day.Day, out var sums))
                {
                    days[day.Day] = sums = (new Dictionary<string, long>(StringComparer.Ordinal), new Dictionary<string, long>(StringComparer.Ordinal));
                }

                foreach (var (metric, n) in day.Counts)
                {
                    var name = JsonName(metric);
                    sums.Counts[name] = sums.Counts.GetValueOrDefault(name) + n;
                }

                foreach (var (key, n) in day.Breakdown)
                {
                    sums.Breakdown[key] = sums.Breakdown.GetValueOrDefault(key) + n;
                }
            }
        }

        var scope = $"{kind}:{(kind == "mailbox" ? members[0].Address : id.ToLowerInvariant())}";
        return ApiResponse.Ok(new MetricSeries(scope, from, to, members.Count, days.Select(d => new MetricDay(d.Key, d.Value.Counts, d.Value.Breakdown)).ToList()));
    }

    private async Task<IReadOnlyList<Mailbox>> OfDomainAsync(string domain, CancellationToken ct) =>
        (await mailboxes.ListAllAsync(ct).ConfigureAwait(false)).Where(m => m.Domain == domain).ToList();

    private static string JsonName(MailboxMetric metric)
    {
        var name = metric.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static DateOnly? Day(ApiRequest request, string name) =>
        request.QueryValue(name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new InvalidRequestException(name, "must be a date in the form yyyy-MM-dd");
}
