using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Functions.Queues;
using EmailInfra.Infrastructure.Storage;
using EmailInfra.Testing;
using MailKit.Search;

namespace EmailInfra.Functions.Tests.Sending;

/// <summary>Outbound mail addressed to a pool: rotation, hygiene and RFC 8058 headers, through the functions.</summary>
public class OutboundTests
{
    private static readonly string[] Healthy = ["m07@alpha.test", "m10@alpha.test", "m08@beta.test", "m11@beta.test"];
    private const string Warming = "m13@alpha.test";

    private static async Task<RigServices> PoolAsync()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var rig = new RigServices();
        var store = rig.Get<IMailboxStore>();
        foreach (var address in Healthy)
        {
            var mailbox = await rig.RegisterRigMailboxAsync(address, poolId: "out");
            await store.UpsertAsync(mailbox with { State = MailboxState.Healthy }, default);
        }

        await rig.RegisterRigMailboxAsync(Warming, poolId: "out"); // still warming: never used for outbound
        return rig;
    }

    [Fact(Timeout = 120_000)]
    public async Task PoolAddressed_SpreadOverHealthyMailboxesAndDomains_WithOneClickUnsubscribe()
    {
        await using var rig = await PoolAsync();
        var recipients = new[] { "carol@beta.test", "dave@beta.test", "erin@gamma.test", "frank@gamma.test" };
        for (var i = 0; i < 8; i++)
        {
            await rig.Get<SendScheduler>().ScheduleOutboundAsync(
                new OutboundSendRequest("out", null, recipients[i % 4], $"Intro {i}", $"Hello,\r\n\r\nNote {i}.", UnsubscribeUrl: $"https://example.com/u/{i}"), default);
        }

        var dispatch = new DispatchOutboundFunction(rig.Get<OutboundDispatcher>());
        for (var i = 0; i < 8; i++)
        {
            await dispatch.DispatchOutbound(await RigQueues.ReceiveAsync(rig, QueueNames.OutboundJobs), default);
        }

        for (var i = 0; i < 8; i++)
        {
            await FunctionDriver.RunSendAsync(rig);
        }

        var ledger = rig.Get<ISendLedger>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var rows = (await Task.WhenAll(Healthy.Append(Warming).Select(m => ledger.ListDayAsync(m, today, default)))).SelectMany(r => r).ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r => Assert.Equal(SendState.Sent, r.State));
        Assert.DoesNotContain(rows, r => r.Key.Mailbox == Warming);
        Assert.All(rows.GroupBy(r => r.Key.Mailbox), g => Assert.Equal(2, g.Count()));

        var first = rows.OrderBy(r => r.Subject, StringComparer.Ordinal).First();
        var delivered = await RigMail.WaitForAsync(first.Recipient, SearchQuery.HeaderContains("Message-ID", first.MessageId!));
        Assert.Equal("<https://example.com/u/0>", delivered!.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", delivered.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(first.Key.Mailbox, delivered.From.Mailboxes.Single().Address);
    }

    [Fact(Timeout = 60_000)]
    public async Task InvalidOrSuppressedRecipient_RejectedAtDispatch_NothingPlanned()
    {
        await using var rig = await PoolAsync();
        await rig.Get<ISuppressionList>().AddAsync("dave@beta.test", "hard-bounce 5.1.1", "test", default);
        var scheduler = rig.Get<SendScheduler>();
        var nullMx = await scheduler.ScheduleOutboundAsync(new OutboundSendRequest("out", null, "x@nullmx.alpha.test", "s", "t"), default);
        var suppressed = await scheduler.ScheduleOutboundAsync(new OutboundSendRequest("out", null, "dave@beta.test", "s", "t"), default);
        var dispatcher = rig.Get<OutboundDispatcher>();
        Assert.Equal(DispatchResult.Rejected, await dispatcher.HandleAsync(OutboundJob.For(nullMx), default));
        Assert.Equal(DispatchResult.Rejected, await dispatcher.HandleAsync(OutboundJob.For(suppressed), default));
        var requests = rig.Get<IOutboundRequests>();
        Assert.Contains("null MX", (await requests.GetAsync("out", nullMx.Id, default))!.Reason, StringComparison.Ordinal);
        Assert.Equal("suppressed", (await requests.GetAsync("out", suppressed.Id, default))!.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task Schedule_BadRequest_ClearErrorsNothingStored()
    {
        await using var rig = await PoolAsync();
        var ex = await Assert.ThrowsAsync<EmailInfra.Core.InvalidRequestException>(() => rig.Get<SendScheduler>().ScheduleOutboundAsync(
            new OutboundSendRequest("nopool", null, "not an address", "", "", UnsubscribeUrl: "http://insecure.example/u"), default));
        Assert.Equal(["poolId", "recipient", "subject", "textBody", "unsubscribeUrl"], ex.Errors.Keys.Order().ToArray());
    }
}
