namespace EmailInfra.Core.Mailboxes;

/// <summary>What a mailbox's connection test saw, step by step; a failed step ends its protocol's test.</summary>
/// <remarks>A missing Sent folder is not a failure unless the mailbox must append its sent mail there.</remarks>
public sealed record ConnectionTestReport(string Mailbox, DateTimeOffset At, IReadOnlyList<ConnectionTestStep> Steps)
{
    public bool Ok => Steps.All(s => s.Ok);

    /// <summary>The first failed step, as "smtp auth: ..." (null when every step passed).</summary>
    public string? Failure => Steps.FirstOrDefault(s => !s.Ok) is { } f ? $"{f.Protocol} {f.Step}: {f.Detail}" : null;
}
