using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Inbox;

/// <summary>Queues one poll job per active mailbox, spread evenly over the polling interval.</summary>
public sealed class PollFanout(IMailboxStore mailboxes, IJobQueue queue, IOptions<PollingOptions> options)
{
    /// <summary>Returns the number of poll jobs queued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var active = (await mailboxes.ListAllAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.IsActive).ToList();
        var interval = options.Value.Interval;
        for (var i = 0; i < active.Count; i++)
        {
            // Thousands of mailboxes must not log in to their servers in the same second.
            var delay = TimeSpan.FromTicks(interval.Ticks * i / active.Count);
            await queue.EnqueueAsync(
                QueueNames.PollJobs,
                PollJob.For(active[i].PoolId, active[i].Address),
                delay > TimeSpan.Zero ? delay : null,
                cancellationToken).ConfigureAwait(false);
        }

        return active.Count;
    }
}
