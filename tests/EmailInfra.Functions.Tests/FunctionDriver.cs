using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Functions.Queues;
using EmailInfra.Testing;

namespace EmailInfra.Functions.Tests;

/// <summary>Drives the function classes as the Functions host would: a queued job in, the function called with it.</summary>
internal static class FunctionDriver
{
    /// <summary>Plans a send, runs SendEmail on its queued job, and returns the ledger row, which must say sent.</summary>
    public static async Task<LedgerEntry> SendAsync(RigServices rig, SendRequest request)
    {
        var entry = await rig.Get<SendScheduler>().ScheduleAsync(request, default);
        await RunSendAsync(rig);
        var sent = (await rig.Get<ISendLedger>().GetAsync(entry.Key, default))!;
        Assert.Equal(SendState.Sent, sent.State);
        return sent;
    }

    /// <summary>Takes the next send job off the queue and runs SendEmail with it.</summary>
    public static async Task RunSendAsync(RigServices rig) =>
        await new SendEmailFunction(rig.Get<SendHandler>()).SendEmail(await RigQueues.ReceiveAsync(rig, QueueNames.SendJobs), null!, default);

    /// <summary>Runs PollMailbox for one mailbox.</summary>
    public static Task PollAsync(RigServices rig, string mailbox, string pool = "rig") =>
        new PollMailboxFunction(rig.Get<PollHandler>()).PollMailbox(JobSerializer.Serialize(PollJob.For(pool, mailbox)), default);
}
