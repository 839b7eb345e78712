using Azure.Storage.Queues;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Infrastructure.Storage;
using EmailInfra.Testing;

namespace EmailInfra.Infrastructure.Tests.Storage;

public class StorageJobQueueTests
{
    [Fact(Timeout = 30_000)]
    public async Task Enqueue_WithDelay_InvisibleUntilDue_ThenBase64Json()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var job = SendJob.For(new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 28), "q1"));
        await rig.Get<IJobQueue>().EnqueueAsync(QueueNames.SendJobs, job, TimeSpan.FromSeconds(2), default);

        // Read with a plain client, as the Functions host does: base64 text holding the JSON job.
        var raw = new QueueClient(Rig.StorageConnectionString, rig.Get<StorageClients>().QueueName(QueueNames.SendJobs));
        Assert.Empty((await raw.ReceiveMessagesAsync(1)).Value);
        var message = await Eventually.WaitAsync(
            async () => (await raw.ReceiveMessagesAsync(1)).Value.FirstOrDefault(), m => m is not null, TimeSpan.FromSeconds(10));
        Assert.NotNull(message);
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message!.MessageText));
        Assert.Equal(job, SendJob.Parse(json));
    }
}
