using System.Globalization;
using EmailInfra.Core.Jobs;

namespace EmailInfra.Core.Sending;

/// <summary>Queue contract: send the email of one ledger row. Version 1.</summary>
/// <param name="V">Contract version (1).</param>
/// <param name="Mailbox">Sending mailbox address.</param>
/// <param name="Day">The ledger day, yyyyMMdd.</param>
/// <param name="SendId">The ledger row id within that mailbox and day.</param>
public sealed record SendJob(int V, string Mailbox, string Day, string SendId) : IJob
{
    public const int Version = 1;

    public static SendJob For(LedgerKey key) =>
        new(Version, key.Mailbox, key.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), key.SendId);

    public static SendJob Parse(string text)
    {
        var job = JobSerializer.Deserialize<SendJob>(text, Version);
        if (string.IsNullOrWhiteSpace(job.Mailbox) || string.IsNullOrWhiteSpace(job.SendId)
            || !DateOnly.TryParseExact(job.Day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new MalformedJobException("SendJob needs mailbox, day (yyyyMMdd) and sendId");
        }

        return job;
    }

    public LedgerKey Key => new(Mailbox, DateOnly.ParseExact(Day, "yyyyMMdd", CultureInfo.InvariantCulture), SendId);
}
