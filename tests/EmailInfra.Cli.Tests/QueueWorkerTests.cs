using EmailInfra.Cli.LocalMode;
using EmailInfra.Core.Jobs;
using EmailInfra.Infrastructure.Storage;
using EmailInfra.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Tests;

public class QueueWorkerTests
{
    private static readonly IOptions<LocalQueueOptions> FastRetries = Options.Create(new LocalQueueOptions
    {
        RetryVisibility = TimeSpan.FromMilliseconds(200),
        MaxPollingInterval = TimeSpan.FromMilliseconds(200),
    });

    [Fact(Timeout = 60_000)]
    public async Task FailingJob_TriedFiveTimes_ThenInThePoisonQueue()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var storage = rig.Get<StorageClients>();
        var queue = await storage.QueueAsync("work", default);
        await queue.SendMessageAsync("poison me");
        var tries = 0;
        using var worker = new QueueWorker("work", (_, _, _) => { Interlocked.Increment(ref tries); throw new InvalidOperationException("boom"); }, storage, FastRetries, new StorageAvailability(TimeProvider.System, NullLogger<StorageAvailability>.Instance), NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(default);

        var poison = await storage.QueueAsync(QueueNames.PoisonOf("work"), default);
        var poisoned = await Eventually.WaitAsync(async () => (await poison.PeekMessagesAsync(1)).Value.FirstOrDefault(), m => m is not null, TimeSpan.FromSeconds(30));
        await worker.StopAsync(default);

        Assert.Equal("poison me", poisoned?.MessageText);
        Assert.Equal(5, tries);
        Assert.Empty((await queue.PeekMessagesAsync(1)).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task SucceedingJob_HandledOnceAndDeleted()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var storage = rig.Get<StorageClients>();
        var queue = await storage.QueueAsync("work", default);
        await queue.SendMessageAsync("hello");
        var seen = new List<string>();
        using var worker = new QueueWorker("work", (m, _, _) => { lock (seen) { seen.Add(m); } return Task.CompletedTask; }, storage, FastRetries, new StorageAvailability(TimeProvider.System, NullLogger<StorageAvailability>.Instance), NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(default);
        await Eventually.WaitAsync(() => Task.FromResult(seen.Count), n => n > 0, TimeSpan.FromSeconds(10));
        await worker.StopAsync(default);

        // deleted, not just invisible: the count includes messages waiting out a visibility timeout, so none can come back
        Assert.Equal(["hello"], seen);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
