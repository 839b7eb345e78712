using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;

namespace EmailInfra.Functions.Tests.Health;

/// <summary>
/// End to end on the rig: a complaint arrives by IMAP as an ARF report, the poller counts it, the health rules pause the
/// mailbox with the evidence, its queued send is held, and an operator's resume lets it send again.
/// </summary>
public class ComplaintsPauseAMailboxTests
{
    [Fact(Timeout = 180_000)]
    public async Task ArfComplaint_PausesTheMailbox_HoldsItsSends_OperatorResumes()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var (sender, recipient) = (Rig.HealthMailboxes[0], Rig.HealthMailboxes[1]);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync(sender);
        await rig.RegisterRigMailboxAsync(recipient);
        await RigMail.ClearAsync(sender);
        var sent = await FunctionDriver.SendAsync(rig, new SendRequest(sender, recipient, SendKind.Warmup));

        // the week before: 150 sends counted (the rule's minimum sample is 100), none complained about
        var metrics = rig.Get<IMetricsStore>();
        for (var i = 0; i < 150; i++)
        {
            await metrics.CountOnceAsync(sender, sent.Key.Day.AddDays(-1 - (i % 5)), MailboxMetric.Sent, $"history|{i}", default);
        }

        var health = rig.Get<HealthService>();
        await health.EvaluateAllAsync(default);
        Assert.Equal(MailboxState.Warming, (await rig.Get<IMailboxStore>().FindByAddressAsync(sender, default))!.State);

        // the recipient's provider reports the message as spam; the poller finds the report
        await RigMail.AppendAsync(sender, ReportSamples.Arf(sender, recipient, sent.MessageId!));
        await FunctionDriver.PollAsync(rig, sender);
        Assert.Equal(1, (await metrics.GetAsync(sender, sent.Key.Day, default))[MailboxMetric.Complaints]);

        var evaluation = await health.EvaluateAllAsync(default);
        Assert.True(evaluation.Changed >= 1);
        var paused = (await rig.Get<IMailboxStore>().FindByAddressAsync(sender, default))!;
        Assert.Equal(MailboxState.Paused, paused.State);
        Assert.StartsWith(HealthService.ReasonPrefix, paused.StateReason, StringComparison.Ordinal);
        Assert.Contains("complaint-rate", paused.StateReason, StringComparison.Ordinal);

        // the event names the rule, the move and the evidence: 1 complaint of 151 sends over the 7-day window
        var events = rig.Get<IHealthEvents>();
        var transition = Assert.Single(await events.ListEventsAsync(HealthScope.Mailbox(sender).Key, 10, default), e => e.Kind == "transition");
        Assert.Equal(("complaint-rate", "clear", "paused"), (transition.Rule, transition.From, transition.To));
        Assert.Contains("1 of 151 (Complaints per Sent)", transition.Evidence, StringComparison.Ordinal);
        Assert.Contains("7-day window", transition.Evidence, StringComparison.Ordinal);

        // a queued send of the paused mailbox (to someone else: the complainer is suppressed) is held, not sent
        var queued = await rig.Get<SendScheduler>().ScheduleAsync(new SendRequest(sender, Rig.HealthMailboxes[2], SendKind.Warmup), default);
        Assert.Equal(SendJobResult.MailboxNotActive, await rig.Get<SendHandler>().HandleAsync(await RigQueues.ReceiveAsync(rig, QueueNames.SendJobs), 1, default));
        var held = (await rig.Get<ISendLedger>().GetAsync(queued.Key, default))!;
        Assert.NotEqual(SendState.Sent, held.State);
        Assert.Null(held.MessageId);

        // evaluating again changes nothing and records nothing more
        Assert.Equal(0, (await health.EvaluateAllAsync(default)).Changed);

        // the mailbox was its domain's and its pool's only sender: the same evidence pauses them too
        Assert.Equal(HealthLevel.Paused, (await health.GetAsync(HealthScope.Domain("alpha.test"), default)).Level);
        Assert.Equal(HealthLevel.Paused, (await health.GetAsync(HealthScope.Pool("rig"), default)).Level);

        // an operator resumes them through the admin API's override, as the Functions app serves it: recorded, applied, and it survives the next evaluation
        var function = new EmailInfra.Functions.Api.HealthFunctions(rig.Get<EmailInfra.Infrastructure.Http.HttpAdminApi>());
        async Task ResumeAsync(string kind, string id)
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Request.Method = "POST";
            context.Request.Path = $"/api/health/{kind}/{id}/override";
            context.Request.ContentType = "application/json";
            context.Request.Headers["X-EmailInfra-Actor"] = "ops@example.test";
            context.Request.Body = new MemoryStream("{\"level\":\"resume\",\"note\":\"complainer suppressed, list checked\"}"u8.ToArray());
            context.Response.Body = new MemoryStream();
            await function.OverrideHealth(context.Request, null!); // resuming needs no Durable client
            context.Response.Body.Position = 0;
            Assert.True(context.Response.StatusCode == 200, new StreamReader(context.Response.Body).ReadToEnd());
        }

        await ResumeAsync("domain", "alpha.test");
        await ResumeAsync("pool", "rig");
        Assert.Equal(MailboxState.Paused, (await rig.Get<IMailboxStore>().FindByAddressAsync(sender, default))!.State); // its own pause still holds
        await ResumeAsync("mailbox", sender);
        Assert.Equal(MailboxState.Warming, (await rig.Get<IMailboxStore>().FindByAddressAsync(sender, default))!.State);
        await health.EvaluateAllAsync(default);
        var resumed = (await rig.Get<IMailboxStore>().FindByAddressAsync(sender, default))!;
        Assert.Equal(MailboxState.Warming, resumed.State);
        Assert.Null(resumed.StateReason);
        var overridden = Assert.Single(await events.ListEventsAsync(HealthScope.Mailbox(sender).Key, 10, default), e => e.Kind == "override");
        Assert.Equal(("ops@example.test", "paused", "clear"), (overridden.Actor, overridden.From, overridden.To));
        Assert.Single(await events.ListEventsAsync(HealthScope.Mailbox(sender).Key, 10, default), e => e.Kind == "transition");

        // and the held send goes out
        await rig.Get<SendHandler>().HandleAsync(JobSerializer.Serialize(SendJob.For(queued.Key)), 1, default);
        Assert.Equal(SendState.Sent, (await rig.Get<ISendLedger>().GetAsync(queued.Key, default))!.State);
    }

    [Fact(Timeout = 120_000)]
    public async Task ThrottledMailbox_GetsItsRulesShareOfTheDailyCap()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var capacity = rig.Get<SendCapacity>();
        var cap = capacity.Limits.Mailbox.DailyCap;
        const double factor = 0.01;
        var share = SendCapacity.Share(cap, factor);
        Assert.InRange(share, 1, cap - 1);
        var now = new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero); // a few sends 3 minutes apart stay within one day
        var mailbox = $"throttled-{Guid.NewGuid():N}@alpha.test";
        var granted = 0;
        for (var i = 0; i < share + 3; i++)
        {
            var decision = await capacity.TryReserveAsync($"t{i}", mailbox, "throttle-pool", TimeZoneInfo.Utc, "other", now.AddMinutes(i * 3), default, factor);
            granted += decision.Allowed ? 1 : 0;
        }

        Assert.Equal(share, granted);
    }
}
