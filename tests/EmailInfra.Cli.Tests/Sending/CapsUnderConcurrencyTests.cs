using EmailInfra.Cli.LocalMode;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Infrastructure.Storage;
using EmailInfra.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Tests.Sending;

/// <summary>Caps hold across concurrent instances: 4 workers, each its own service provider and storage clients, on one queue.</summary>
public class CapsUnderConcurrencyTests
{
    private const int MailboxDailyCap = 20;
    private const int PoolHourlyCap = 150;
    private const int ProviderHourlyCap = 60;

    [Fact(Timeout = 300_000)]
    public async Task FiveHundredJobs_TwentyMailboxes_TwoPools_FourWorkers_NoCapExceeded()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var limitsFile = Path.Combine(Path.GetTempPath(), $"caps-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(limitsFile, $$"""
            { "version": 1,
              "mailbox": { "dailyCap": {{MailboxDailyCap}}, "minGapSeconds": 0 },
              "pool": { "hourlyCap": {{PoolHourlyCap}} },
              "defaultProvider": { "hourlyCapPerPool": 1000 },
              "providers": [
                { "name": "alpha", "mxSuffixes": ["alpha.test"], "hourlyCapPerPool": {{ProviderHourlyCap}} },
                { "name": "beta", "mxSuffixes": ["beta.test"], "hourlyCapPerPool": {{ProviderHourlyCap}} },
                { "name": "gamma", "mxSuffixes": ["gamma.test"], "hourlyCapPerPool": {{ProviderHourlyCap}} } ],
              "deferralRules": [] }
            """);
        await using var rig = new RigServices(new Dictionary<string, string?> { ["Sending:LimitsFile"] = limitsFile });
        var senders = Rig.Numbered.Take(20).ToList();
        for (var i = 0; i < senders.Count; i++)
        {
            await rig.RegisterRigMailboxAsync(senders[i], poolId: i < 10 ? "p1" : "p2");
        }

        // recipients on all three domains (so three providers), never the sender itself
        var recipients = Rig.Numbered.Skip(20).Concat(["alice@alpha.test", "bob@alpha.test", "carol@beta.test", "dave@beta.test", "erin@gamma.test", "frank@gamma.test"]).ToList();
        var scheduler = rig.Get<SendScheduler>();
        var planned = new List<LedgerEntry>();
        for (var i = 0; i < 500; i++)
        {
            planned.Add(await scheduler.ScheduleAsync(new SendRequest(senders[i % 20], recipients[(i / 20 + i) % recipients.Count], SendKind.Warmup), default));
        }

        var instances = Enumerable.Range(0, 4).Select(_ => rig.SecondInstance()).ToList();
        var workers = instances.Select(instance => new QueueWorker(
            QueueNames.SendJobs,
            instance.Get<SendHandler>().HandleAsync,
            instance.Get<StorageClients>(),
            Options.Create(new LocalQueueOptions { Concurrency = 4, MaxPollingInterval = TimeSpan.FromMilliseconds(200), RetryVisibility = TimeSpan.FromSeconds(1) }),
            new StorageAvailability(TimeProvider.System, NullLogger<StorageAvailability>.Instance),
            NullLogger<QueueWorker>.Instance)).ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(default);
        }

        var ledger = rig.Get<ISendLedger>();
        var rows = await Eventually.WaitAsync(
            async () => (await Task.WhenAll(senders.Select(s => ledger.ListDayAsync(s, planned[0].Key.Day, default)))).SelectMany(r => r).ToList(),
            all => all.Count == 500 && all.All(e => e.State is SendState.Sent or SendState.Deferred),
            TimeSpan.FromMinutes(4),
            TimeSpan.FromSeconds(1));
        foreach (var worker in workers)
        {
            await worker.StopAsync(default);
            worker.Dispose();
        }

        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        File.Delete(limitsFile);
        Assert.All(rows, e => Assert.True(e.State is SendState.Sent or SendState.Deferred, $"{e.Key.SendId}: {e.State} {e.Reason} {e.SmtpReply}"));
        var sent = rows.Where(e => e.State == SendState.Sent).ToList();
        var deferred = rows.Where(e => e.State == SendState.Deferred).ToList();
        Assert.All(deferred, e => Assert.StartsWith("cap ", e.Reason, StringComparison.Ordinal));

        // per mailbox per day, per pool per hour, per pool and provider per hour
        Assert.All(sent.GroupBy(e => e.Key.Mailbox), g => Assert.True(g.Count() <= MailboxDailyCap, $"{g.Key}: {g.Count()}"));
        Assert.All(sent.GroupBy(e => (e.PoolId, e.UpdatedAt.UtcDateTime.Hour)), g => Assert.True(g.Count() <= PoolHourlyCap, $"{g.Key}: {g.Count()}"));
        Assert.All(sent.GroupBy(e => (e.PoolId, e.Provider, e.UpdatedAt.UtcDateTime.Hour)), g => Assert.True(g.Count() <= ProviderHourlyCap, $"{g.Key}: {g.Count()}"));

        // the caps bind: each pool sent up to its smallest binding limit, not less (3 providers x 60 > 150 per pool)
        Assert.Equal(2 * PoolHourlyCap, sent.Count);

        // and the recipients' mailboxes hold exactly the sent ones, each once
        var ids = sent.Select(e => e.MessageId!).ToList();
        var delivered = await Eventually.WaitAsync(
            () => RigDeliveries.CountAsync(recipients, ids), c => c.Values.All(n => n >= 1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        Assert.All(delivered, d => Assert.True(d.Value == 1, $"{d.Key} delivered {d.Value} times"));
        var unsentIds = deferred.Where(e => e.MessageId is not null).Select(e => e.MessageId!).ToList();
        Assert.Empty(unsentIds);
    }
}
