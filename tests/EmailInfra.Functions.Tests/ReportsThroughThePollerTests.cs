using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Functions.Queues;
using EmailInfra.Testing;
using MailKit.Search;
using MimeKit;

namespace EmailInfra.Functions.Tests;

/// <summary>Complaints and auto-replies as a provider would place them (IMAP APPEND), found and counted by the poller.</summary>
public class ReportsThroughThePollerTests
{
    [Fact(Timeout = 120_000)]
    public async Task ArfComplaintAndAutoReply_CountedOnce_ComplainerSuppressed()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("m16@alpha.test");
        await rig.RegisterRigMailboxAsync("m17@beta.test");
        var poll = new PollMailboxFunction(rig.Get<PollHandler>());
        await RigMail.ClearAsync("m16@alpha.test"); // reports left by an earlier run on this machine would count too
        var sent = await FunctionDriver.SendAsync(rig, new SendRequest("m16@alpha.test", "m17@beta.test", SendKind.Warmup));
        var entry = sent;

        // the provider's feedback loop reports that m17 marked the mail as spam; m17 also answers automatically
        await RigMail.AppendAsync("m16@alpha.test", ReportSamples.Arf("m16@alpha.test", "m17@beta.test", sent.MessageId!));
        var auto = new MimeMessage { Subject = "Automatic reply: " + sent.Subject, MessageId = $"auto.{Guid.NewGuid():N}@beta.test", InReplyTo = sent.MessageId };
        auto.From.Add(MailboxAddress.Parse("m17@beta.test"));
        auto.To.Add(MailboxAddress.Parse("m16@alpha.test"));
        auto.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        auto.Body = new TextPart("plain") { Text = "I am away until Monday." };
        await RigMail.AppendAsync("m16@alpha.test", auto);

        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", "m16@alpha.test")), default);
        await rig.Get<ISyncStateStore>().SaveAsync((await rig.Get<ISyncStateStore>().GetAsync("m16@alpha.test", FolderRole.Inbox, default))! with { LastUid = 0 }, default);
        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", "m16@alpha.test")), default);

        var day = await rig.Get<IMetricsStore>().GetAsync("m16@alpha.test", entry.Key.Day, default);
        Assert.Equal(1, day[MailboxMetric.Complaints]);
        Assert.Equal(1, day[MailboxMetric.AutoReplies]);
        Assert.Equal(0, day[MailboxMetric.Replies]);
        Assert.True(await rig.Get<ISuppressionList>().IsSuppressedAsync("m17@beta.test", default));
        Assert.NotEmpty(await RigMail.FindAsync("m16@alpha.test", SearchQuery.SubjectContains("Automatic reply")));
    }
}
