namespace EmailInfra.Core.Api;

/// <summary>The whole fleet at a glance: every pool, domain and mailbox with its health and today's sending.</summary>
public sealed record FleetOverview(DateTimeOffset GeneratedAt, IReadOnlyList<PoolSummary> Pools, IReadOnlyList<DomainSummary> Domains, IReadOnlyList<MailboxSummary> Mailboxes);
