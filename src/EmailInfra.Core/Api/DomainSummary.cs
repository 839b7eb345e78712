using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;

namespace EmailInfra.Core.Api;

/// <summary>A domain in the fleet overview: health, and the worst finding of its latest DNS audit (null before the first).</summary>
public sealed record DomainSummary(string Name, int Mailboxes, bool Retired, HealthLevel? Health, AuditStatus? Audit, DateTimeOffset? AuditedAt);
