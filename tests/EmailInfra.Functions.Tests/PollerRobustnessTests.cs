using System.Text;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Functions.Queues;
using EmailInfra.Testing;
using MailKit.Search;
using MimeKit;

namespace EmailInfra.Functions.Tests;

/// <summary>The poller against hostile mail, bounces that quote nothing, and in-thread replies, on the real servers.</summary>
public class PollerRobustnessTests
{
    private static MimeMessage Raw(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))));

    [Fact(Timeout = 120_000)]
    public async Task HostileMessagesAmongGoodOnes_PollCompletes_GoodOneCounted()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("m20@beta.test");
        await rig.RegisterRigMailboxAsync("m21@gamma.test");
        await RigMail.ClearAsync("m21@gamma.test");

        var nested = new StringBuilder("From: x@evil.example\nTo: m21@gamma.test\nSubject: nested\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (var i = 0; i < 300; i++)
        {
            nested.Append(System.Globalization.CultureInfo.InvariantCulture, $"--b{i}\nContent-Type: multipart/mixed; boundary=\"b{i + 1}\"\n\n");
        }

        await RigMail.AppendAsync("m21@gamma.test", Raw(nested.ToString()));
        await RigMail.AppendAsync("m21@gamma.test", Raw("From: x@evil.example\nTo: m21@gamma.test\nSubject: " + new string('A', 200_000) + "\n\nhuge header\n"));
        await RigMail.AppendAsync("m21@gamma.test", Raw("From: MAILER-DAEMON@evil.example\nTo: m21@gamma.test\nSubject: Undelivered Mail\nContent-Type: text/plain; charset=x-no-such-charset\n\n\u00ff\u00fe <<<@@@>>> 550 5.1.1 <\u0000@>\n"));
        await RigMail.AppendAsync("m21@gamma.test", Raw("From: x@evil.example\nTo: m21@gamma.test\nSubject: truncated\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"never\"\n\n--never\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822;\nStatus: 9.9.9\n"));

        var sent = await FunctionDriver.SendAsync(rig, new SendRequest("m20@beta.test", "m21@gamma.test", SendKind.Warmup));
        Assert.NotNull(await RigMail.WaitForAsync("m21@gamma.test", SearchQuery.HeaderContains("Message-ID", sent.MessageId!)));

        var summary = await rig.Get<PollHandler>().HandleAsync(PollJob.For("rig", "m21@gamma.test"), default);
        Assert.Equal(5, summary.Messages);
        Assert.Equal(1, summary.WarmupPlacements);
        Assert.Equal(1, (await rig.Get<IMetricsStore>().GetAsync("m21@gamma.test", DateOnly.FromDateTime(DateTime.UtcNow), default))[MailboxMetric.ReceivedInbox]);
    }

    [Fact(Timeout = 120_000)]
    public async Task CarrierNoticeUnderAPlainSubject_FetchedForItsAttachedOriginal_LinkedAsABounce()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("m09@gamma.test");
        var sent = await FunctionDriver.SendAsync(rig, new SendRequest("m09@gamma.test", "m12@gamma.test", SendKind.Warmup));

        // a carrier's notice: plain sender, subject "Mail", the original returned attached; only its structure says
        // it is worth reading
        await RigMail.AppendAsync("m09@gamma.test", Raw($$"""
            From: no-reply@carrier.gamma.test
            To: m09@gamma.test
            Subject: Mail
            Message-ID: <notice.1@carrier.gamma.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
                 Could not be delivered to: <m12@gamma.test>
                 As their mailbox is full.
            --b
            Content-Type: message/rfc822

            From: m09@gamma.test
            To: m12@gamma.test
            Message-ID: <{{sent.MessageId}}>
            Subject: hello

            hi
            --b--
            """));
        await FunctionDriver.PollAsync(rig, "m09@gamma.test");

        var row = (await rig.Get<ISendLedger>().GetAsync(sent.Key, default))!;
        Assert.Equal(SendState.Bounced, row.State);
        var metrics = await rig.Get<IMetricsStore>().GetAsync("m09@gamma.test", sent.Key.Day, default);
        Assert.Equal(1, metrics[MailboxMetric.SoftBounces]);
        Assert.False(await rig.Get<ISuppressionList>().IsSuppressedAsync("m12@gamma.test", default));
    }

    [Fact(Timeout = 120_000)]
    public async Task BounceWithoutTheOriginal_LinkedByRecipientAndTime_SoftNotSuppressed()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("m22@alpha.test");
        var sent = await FunctionDriver.SendAsync(rig, new SendRequest("m22@alpha.test", "m23@beta.test", SendKind.Warmup));

        // a later, asynchronous "mailbox full" from a server that quotes nothing of the original
        await RigMail.AppendAsync("m22@alpha.test", Raw("""
            From: Mail Delivery System <MAILER-DAEMON@mx.beta.test>
            To: m22@alpha.test
            Subject: Delivery Status Notification (Failure)
            Message-ID: <fail.1@mx.beta.test>

            Delivery to the following recipient failed permanently:

                 m23@beta.test

            Technical details of permanent failure:
            The email account that you tried to reach is over quota. 552 5.2.2 Mailbox full
            """));
        await FunctionDriver.PollAsync(rig, "m22@alpha.test");

        var row = (await rig.Get<ISendLedger>().GetAsync(sent.Key, default))!;
        Assert.Equal(SendState.Bounced, row.State);
        Assert.Equal("5.2.2", row.BounceStatus);
        var metrics = await rig.Get<IMetricsStore>().GetAsync("m22@alpha.test", sent.Key.Day, default);
        Assert.Equal(1, metrics[MailboxMetric.SoftBounces]);
        Assert.Equal(0, metrics[MailboxMetric.HardBounces]);
        Assert.False(await rig.Get<ISuppressionList>().IsSuppressedAsync("m23@beta.test", default));
    }

    [Fact(Timeout = 120_000)]
    public async Task WarmupReply_InThread_ArrivesWithItsReferences_CountedAsThePeersPlacement()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync("m24@gamma.test");
        await rig.RegisterRigMailboxAsync("m18@gamma.test");
        var original = await FunctionDriver.SendAsync(rig, new SendRequest("m24@gamma.test", "m18@gamma.test", SendKind.Warmup));
        var reply = await FunctionDriver.SendAsync(rig, new SendRequest("m18@gamma.test", "m24@gamma.test", SendKind.WarmupReply, InReplyTo: original.MessageId, Subject: original.Subject));

        var arrived = await RigMail.WaitForAsync("m24@gamma.test", SearchQuery.HeaderContains("Message-ID", reply.MessageId!));
        Assert.Equal(original.MessageId, arrived!.InReplyTo);
        Assert.Contains(original.MessageId!, arrived.References);
        Assert.Equal("Re: " + original.Subject, arrived.Subject);

        await FunctionDriver.PollAsync(rig, "m24@gamma.test");
        Assert.Equal(1, (await rig.Get<IMetricsStore>().GetAsync("m18@gamma.test", reply.Key.Day, default))[MailboxMetric.PlacedInbox]);
    }
}
