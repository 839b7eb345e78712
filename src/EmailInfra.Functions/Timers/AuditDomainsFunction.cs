using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace EmailInfra.Functions.Timers;

/// <summary>On the AuditSchedule timer (daily), audits every domain that has mailboxes and records the reports.</summary>
public sealed class AuditDomainsFunction(DomainAuditService audits, IOptions<AuditOptions> options)
{
    [Function(nameof(AuditDomains))]
    public Task AuditDomains([TimerTrigger("%" + TimerSchedules.AuditSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        audits.AuditAllAsync(options.Value.Selectors.ToList(), cancellationToken);
}
