namespace EmailInfra.Core.Api;

/// <summary>What a warm-up action did to each mailbox it reached.</summary>
public sealed record WarmupActionReport(string Scope, string Action, IReadOnlyList<Warmup.WarmupControlOutcome> Mailboxes);
