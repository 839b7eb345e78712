using EmailInfra.Core.Domains;
using EmailInfra.Core.Mailboxes;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Domains.Authentication;

/// <summary>Stored audit reports per domain, newest first.</summary>
public interface IAuditHistory
{
    Task AddAsync(AuditReport report, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditReport>> ListAsync(string domain, int take, CancellationToken cancellationToken);
}

/// <summary>A recorded change in health: what happened to which scope, with its evidence.</summary>
/// <remarks>
/// Kinds: "transition" (the rules changed the level: <see cref="Rule"/>, <see cref="From"/>, <see cref="To"/>),
/// "override" (an operator did: <see cref="Actor"/>), "provider-throttle" (a pool slowed or released towards a provider),
/// "audit-worse" (a DNS check got worse).
/// </remarks>
public sealed record HealthEvent(string Scope, DateTimeOffset At, string Kind, string Evidence)
{
    public string? Rule { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    /// <summary>"rules", or the operator who made the change.</summary>
    public string Actor { get; init; } = "rules";
}

/// <summary>The HealthEvents table: every health transition with its evidence, newest first per scope.</summary>
public interface IHealthEvents
{
    Task RecordAsync(HealthEvent healthEvent, CancellationToken cancellationToken);

    Task<IReadOnlyList<HealthEvent>> ListEventsAsync(string scope, int take, CancellationToken cancellationToken);
}

/// <summary>Audits a domain, stores the report in its history, and raises a health event when a check got worse.</summary>
public sealed partial class DomainAuditService(DomainAuditor auditor, IAuditHistory history, IHealthEvents events, IMailboxStore mailboxes, IDomainStore domains, IDnsRecords dns, ILogger<DomainAuditService> logger)
{
    public async Task<(AuditReport Report, IReadOnlyList<string> Worse)> AuditAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var latest = await history.ListAsync(request.Domain.Trim().TrimEnd('.').ToLowerInvariant(), 1, cancellationToken).ConfigureAwait(false);
        var previous = latest.Count > 0 ? latest[0] : null;
        var report = await auditor.AuditAsync(request, cancellationToken).ConfigureAwait(false);
        await history.AddAsync(report, cancellationToken).ConfigureAwait(false);
        var worse = previous is null ? [] : Worsened(previous, report);
        if (worse.Count > 0)
        {
            await events.RecordAsync(new HealthEvent("domain:" + report.Domain, report.At, "audit-worse", string.Join("; ", worse)), cancellationToken).ConfigureAwait(false);
            Worse(logger, report.Domain, string.Join("; ", worse));
        }

        return (report, worse);
    }

    /// <summary>Audits every domain that has mailboxes (the daily timer).</summary>
    public async Task<int> AuditAllAsync(IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        var audited = 0;
        foreach (var group in (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.State != MailboxState.Retired).GroupBy(m => m.Domain))
        {
            await AuditAsync(await RequestForAsync(group.Key, group.ToList(), selectors, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            audited++;
        }

        return audited;
    }

    /// <summary>Audits a domain the first time one of its mailboxes is registered; null when it has been audited before.</summary>
    public async Task<AuditReport?> AuditNewDomainAsync(string domain, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if ((await history.ListAsync(domain, 1, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return null;
        }

        var ofDomain = (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(m => m.State != MailboxState.Retired && m.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase)).ToList();
        return (await AuditAsync(await RequestForAsync(domain, ofDomain, selectors, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).Report;
    }

    /// <summary>Audits a domain now (an operator's request), with its mailboxes' sending IPs, as the daily timer would.</summary>
    public async Task<AuditReport> AuditDomainAsync(string domain, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var ofDomain = (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(m => m.State != MailboxState.Retired && m.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase)).ToList();
        return (await AuditAsync(await RequestForAsync(domain, ofDomain, selectors, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).Report;
    }

    /// <summary>
    /// The domain's sending IPs are the addresses of its mailboxes' SMTP hosts (exact for self-run servers); its selectors are
    /// the configured ones and those registered with the domain.
    /// </summary>
    private async Task<AuditRequest> RequestForAsync(string domain, IReadOnlyList<Mailbox> ofDomain, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        if (await domains.GetAsync(domain, cancellationToken).ConfigureAwait(false) is { DkimSelectors.Count: > 0 } registered)
        {
            selectors = selectors.Concat(registered.DkimSelectors).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        var ips = new List<System.Net.IPAddress>();
        foreach (var host in ofDomain.Select(m => m.Smtp.Host).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                ips.AddRange(System.Net.IPAddress.TryParse(host, out var literal) ? [literal] : await dns.AddressesAsync(host, ipv6: false, cancellationToken).ConfigureAwait(false));
            }
            catch (DnsTimeoutException)
            {
                // the SPF and PTR checks of that host's address are missing from this report; the DNS ones still run
            }
        }

        return new AuditRequest(domain, ips.Distinct().ToList(), selectors.Where(s => !string.IsNullOrWhiteSpace(s)).ToList());
    }

    /// <summary>Checks whose status got worse since the previous report (unknown is not counted as worse: DNS trouble is not the domain's).</summary>
    public static List<string> Worsened(AuditReport before, AuditReport after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = before.Findings.GroupBy(f => f.Check).ToDictionary(g => g.Key, g => g.Max(f => f.Status));
        return after.Findings
            .Where(f => f.Status is AuditStatus.Warn or AuditStatus.Fail && old.TryGetValue(f.Check, out var was) && was != AuditStatus.Unknown && f.Status > was)
            .Select(f => $"{f.Check}: {old[f.Check].ToString().ToLowerInvariant()} -> {f.Status.ToString().ToLowerInvariant()} ({f.Summary})")
            .ToList();
    }

    [LoggerMessage(4001, LogLevel.Warning, "Domain {Domain} got worse: {Changes}")]
    private static partial void Worse(ILogger logger, string domain, string changes);
}
