namespace EmailInfra.Core.Api;

/// <summary>Daily metrics of a mailbox, or summed over a domain's or pool's mailboxes.</summary>
public sealed record MetricSeries(string Scope, DateOnly From, DateOnly To, int Mailboxes, IReadOnlyList<MetricDay> Days);
