using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;

namespace EmailInfra.Core.Api;

/// <summary>
/// What the dashboard's first page reads in one request: the fleet with health, today's sending and the last poll, and a
/// mailbox's warm-up history for its ramp chart.
/// </summary>
public sealed class OverviewEndpoints(
    IMailboxStore mailboxes,
    IDomainStore domains,
    IHealthStates health,
    IMetricsStore metrics,
    IConnectionStates connections,
    Inbox.ISyncStateStore syncStates,
    IWarmupJournal journal,
    IAuditHistory audits,
    SendingCalendar calendar,
    SendingLimits limits,
    TimeProvider time) : IApiEndpoints
{
    public IEnumerable<ApiRoute> Routes =>
    [
        new("GetOverview", "GET", "overview", "The fleet at a glance: pools, domains and mailboxes with health, today's sent against the cap, warm-up planned, last poll and connection state", OverviewAsync)
        {
            Tag = "Overview", ResponseBody = typeof(FleetOverview),
        },
        new("GetWarmupHistory", "GET", "mailboxes/{address}/warmup", "The mailbox's warm-up days, oldest first: planned and sent, placement, replies and the volume decided for the next day", HistoryAsync)
        {
            Tag = "Warm-up", ResponseBody = typeof(WarmupHistory),
        },
    ];

    private async Task<ApiResponse> OverviewAsync(ApiRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var all = await mailboxes.ListAllAsync(ct).ConfigureAwait(false);
        var pools = await mailboxes.ListPoolsAsync(ct).ConfigureAwait(false);
        var levels = new Dictionary<HealthScope, HealthLevel>();
        foreach (var kind in new[] { ScopeKind.Mailbox, ScopeKind.Domain, ScopeKind.Pool })
        {
            foreach (var record in await health.ListAsync(kind, ct).ConfigureAwait(false))
            {
                levels[record.Scope] = record.Level;
            }
        }

        HealthLevel? LevelOf(HealthScope scope) => levels.TryGetValue(scope, out var level) ? level : null;

        var poolById = pools.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var rows = new List<MailboxSummary>(all.Count);
        foreach (var mailbox in all.OrderBy(m => m.PoolId, StringComparer.Ordinal).ThenBy(m => m.Address, StringComparer.Ordinal))
        {
            rows.Add(await SummaryAsync(mailbox, poolById.GetValueOrDefault(mailbox.PoolId), LevelOf(HealthScope.Mailbox(mailbox.Address)), now, ct).ConfigureAwait(false));
        }

        var domainRows = new List<DomainSummary>();
        foreach (var domain in (await domains.ListAsync(ct).ConfigureAwait(false)).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var reports = await audits.ListAsync(domain.Name, 1, ct).ConfigureAwait(false);
            var latest = reports.Count > 0 ? reports[0] : null;
            domainRows.Add(new DomainSummary(
                domain.Name, all.Count(m => m.Domain == domain.Name), domain.Retired, LevelOf(HealthScope.Domain(domain.Name)), latest?.Worst, latest?.At));
        }

        var poolRows = pools.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new PoolSummary(p.Id, p.Description, all.Count(m => m.PoolId == p.Id), LevelOf(HealthScope.Pool(p.Id))))
            .ToList();
        return ApiResponse.Ok(new FleetOverview(now, poolRows, domainRows, rows));
    }

    private async Task<MailboxSummary> SummaryAsync(Mailbox mailbox, SendingPool? pool, HealthLevel? level, DateTimeOffset now, CancellationToken ct)
    {
        // a mailbox whose pool record is missing still shows, on UTC days
        var day = calendar.DayOf(now, pool, mailbox.PoolId);
        var counts = await metrics.GetAsync(mailbox.Address, day, ct).ConfigureAwait(false);
        var warmup = await journal.GetAsync(mailbox.Address, day, ct).ConfigureAwait(false);
        var imap = await connections.GetAsync(mailbox.Address, MailProtocol.Imap, ct).ConfigureAwait(false);
        var smtp = await connections.GetAsync(mailbox.Address, MailProtocol.Smtp, ct).ConfigureAwait(false);
        // a poll saves the inbox's sync state every time; the connection state only when it changes or hourly
        var inbox = await syncStates.GetAsync(mailbox.Address, Inbox.FolderRole.Inbox, ct).ConfigureAwait(false);
        var lastPoll = new[] { inbox?.UpdatedAt, imap?.CheckedAt }.Max();
        var cap = SendCapacity.Share(limits.Mailbox.DailyCap, mailbox.State == MailboxState.Throttled ? mailbox.ThrottleFactor : 1.0);
        var error = new[] { imap, smtp }.FirstOrDefault(c => c is { Status: not ConnectionStatus.Ok })?.LastError;
        return new MailboxSummary(
            mailbox.Address, mailbox.PoolId, mailbox.Domain, mailbox.State, mailbox.StateReason, level, day,
            counts[MailboxMetric.Sent], cap, warmup?.Planned, lastPoll, imap?.Status, smtp?.Status, error);
    }

    private async Task<ApiResponse> HistoryAsync(ApiRequest request, CancellationToken ct)
    {
        var address = ApiViews.Address("address", request.RouteValue("address"));
        _ = await mailboxes.FindByAddressAsync(address, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The mailbox " + address);
        var days = (await journal.ListAsync(address, ct).ConfigureAwait(false)).OrderBy(d => d.Day).ToList();
        return ApiResponse.Ok(new WarmupHistory(address, days));
    }
}
