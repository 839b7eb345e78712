namespace EmailInfra.Core.Api;

/// <summary>What to audit besides the domain's own records: sending IPs (SPF, PTR, blocklists) and DKIM selectors.</summary>
public sealed record AuditInput(IReadOnlyList<string>? Ips = null, IReadOnlyList<string>? Selectors = null);
