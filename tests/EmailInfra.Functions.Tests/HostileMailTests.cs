using System.Diagnostics;
using System.Text;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MimeKit;

namespace EmailInfra.Functions.Tests;

/// <summary>
/// One email from anyone must never switch off a mailbox's monitoring: the poller against reports that name hostile
/// values, HTML built to make a pattern run away, oversized mail and a server that does not answer, on the real rig.
/// </summary>
public class HostileMailTests
{
    private static MimeMessage Raw(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))));

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static MimeMessage AutoReplyWithoutIds(string from, string to) => Raw($"""
        From: {from}
        To: {to}
        Subject: Automatic reply: out of office
        Auto-Submitted: auto-replied
        Date: Thu, 03 Dec 2026 06:00:00 +0000

        I am away until Monday.
        """);

    [Fact(Timeout = 120_000)]
    public async Task ComplaintNamingA2000CharacterRecipient_ThenAnAutoReply_AutoReplyCountedOnce_FolderAdvances()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        const string mailbox = "m14@beta.test";
        await rig.RegisterRigMailboxAsync(mailbox);
        await RigMail.ClearAsync(mailbox);

        var hostile = new string('a', 2000) + "@example.com";
        await RigMail.AppendAsync(mailbox, Raw($"""
            From: feedback@feedback.example
            To: {mailbox}
            Subject: Abuse report
            Message-ID: <arf.hostile@feedback.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="b"

            --b
            Content-Type: text/plain

            This is an email abuse report.
            --b
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: SomeGenerator/1.0
            Version: 1
            Original-Rcpt-To: <{hostile}>
            Removal-Recipient: {hostile}

            --b--
            """));
        await RigMail.AppendAsync(mailbox, AutoReplyWithoutIds("m17@beta.test", mailbox));

        var poller = rig.Get<PollHandler>();
        var summary = await poller.HandleAsync(PollJob.For("rig", mailbox), default);
        Assert.Equal(2, summary.Messages);

        var syncStates = rig.Get<ISyncStateStore>();
        var state = (await syncStates.GetAsync(mailbox, FolderRole.Inbox, default))!;
        using (var imap = await RigMail.ConnectAsync(mailbox))
        {
            var inbox = imap.Inbox;
            await inbox.OpenAsync(MailKit.FolderAccess.ReadOnly);
            Assert.Equal(inbox.UidNext!.Value.Id - 1, state.LastUid);
        }

        // polled again from the start (a lost sync state, a UIDVALIDITY change): an auto-reply with no Message-ID is the same event
        await syncStates.SaveAsync(state with { LastUid = 0 }, default);
        await poller.HandleAsync(PollJob.For("rig", mailbox), default);

        var day = await rig.Get<IMetricsStore>().GetAsync(mailbox, Today, default);
        Assert.Equal(1, day[MailboxMetric.AutoReplies]);
        Assert.Equal(0, day[MailboxMetric.Complaints]);
        Assert.Equal(1, day[MailboxMetric.UnlinkedComplaints]);
        Assert.False(await rig.Get<ISuppressionList>().IsSuppressedAsync(hostile, default));
    }

    [Fact(Timeout = 120_000)]
    public async Task ComplaintAboutMailNeverSent_SuppressesNobody_RecordedUnlinked()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        const string mailbox = "m04@alpha.test";
        await rig.RegisterRigMailboxAsync(mailbox);
        await RigMail.ClearAsync(mailbox);

        // a well-formed report, but about a message and a recipient this system never sent to
        await RigMail.AppendAsync(mailbox, ReportSamples.Arf(mailbox, "stranger@remote.test", $"never.{Guid.NewGuid():N}@elsewhere.example"));
        await FunctionDriver.PollAsync(rig, mailbox);

        Assert.False(await rig.Get<ISuppressionList>().IsSuppressedAsync("stranger@remote.test", default));
        var day = await rig.Get<IMetricsStore>().GetAsync(mailbox, Today, default);
        Assert.Equal(0, day[MailboxMetric.Complaints]);
        Assert.Equal(1, day[MailboxMetric.UnlinkedComplaints]);
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoMegabytesOfAngleBracketsInHtmlFromMailerDaemon_ClassifiedWithinASecond()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        const string mailbox = "m15@gamma.test";
        await rig.RegisterRigMailboxAsync(mailbox);
        await RigMail.ClearAsync(mailbox);

        var html = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", MessageId = "hostile.html@mx.example" };
        html.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.example"));
        html.To.Add(MailboxAddress.Parse(mailbox));
        html.Body = new TextPart("html") { Text = new string('<', 2 * 1024 * 1024) };
        await RigMail.AppendAsync(mailbox, html);

        var fetched = (await RigMail.FindAsync(mailbox, MailKit.Search.SearchQuery.HeaderContains("Message-ID", "hostile.html@mx.example"))).Single();
        var clock = Stopwatch.StartNew();
        var verdict = MessageClassifier.Classify(fetched, rig.Get<BounceRules>());
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"classified in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.IsNotType<BounceVerdict>(verdict); // it names no recipient: nothing to link, nothing to suppress

        var summary = await rig.Get<PollHandler>().HandleAsync(PollJob.For("rig", mailbox), default);
        Assert.Equal(1, summary.Messages);
    }

    [Fact(Timeout = 120_000)]
    public async Task BounceOverTheSizeLimit_NotDownloaded_RecordedAndSkipped_NextMessageCounted()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices(new Dictionary<string, string?> { ["Polling:MaxMessageBytes"] = "65536" });
        const string mailbox = "m06@gamma.test";
        await rig.RegisterRigMailboxAsync(mailbox);
        await RigMail.ClearAsync(mailbox);

        var large = new MimeMessage { Subject = "Undelivered Mail Returned to Sender" };
        large.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.example"));
        large.To.Add(MailboxAddress.Parse(mailbox));
        large.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("550 5.1.1 <someone@example.com>: user unknown\n", 5000)) };
        await RigMail.AppendAsync(mailbox, large);
        await RigMail.AppendAsync(mailbox, AutoReplyWithoutIds("m17@beta.test", mailbox));

        var summary = await rig.Get<PollHandler>().HandleAsync(PollJob.For("rig", mailbox), default);

        Assert.Equal(2, summary.Messages);
        Assert.Equal(1, summary.Malformed);
        var day = await rig.Get<IMetricsStore>().GetAsync(mailbox, Today, default);
        Assert.Equal(1, day[MailboxMetric.Unprocessed]);
        Assert.Equal(1, day[MailboxMetric.AutoReplies]);
    }

    [Fact(Timeout = 120_000)]
    public async Task ImapRefusingConnections_PollCompletes_ConnectionStateKept_ThenOkAgain()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        const string mailbox = "m03@gamma.test";
        var closed = LoopbackPorts.Free();
        var healthy = await rig.RegisterRigMailboxAsync(mailbox);
        await rig.Get<IMailboxStore>().UpsertAsync(healthy with { Imap = healthy.Imap with { Port = closed } }, default);
        var poller = rig.Get<PollHandler>();
        var connections = rig.Get<IConnectionStates>();

        // two polls while the server refuses: each completes (no poison job), the state says so and counts both
        Assert.Equal(PollSummary.Empty, await poller.HandleAsync(PollJob.For("rig", mailbox), default));
        Assert.Equal(PollSummary.Empty, await poller.HandleAsync(PollJob.For("rig", mailbox), default));
        var down = (await connections.GetAsync(mailbox, MailProtocol.Imap, default))!;
        Assert.Equal(ConnectionStatus.Unreachable, down.Status);
        Assert.Equal(2, down.Failures);
        Assert.Contains(closed.ToString(System.Globalization.CultureInfo.InvariantCulture), down.LastError, StringComparison.Ordinal);

        await rig.Get<IMailboxStore>().UpsertAsync(healthy, default);
        await poller.HandleAsync(PollJob.For("rig", mailbox), default);
        var up = (await connections.GetAsync(mailbox, MailProtocol.Imap, default))!;
        Assert.Equal(ConnectionStatus.Ok, up.Status);
        Assert.Equal(0, up.Failures);
        Assert.True(up.Since >= down.CheckedAt);

        await rig.Get<IMailboxStore>().UpsertAsync(healthy, default);
        await rig.Get<Core.Secrets.ISecretStore>().SetAsync(healthy.SecretName, "not-the-password", default);
        await poller.HandleAsync(PollJob.For("rig", mailbox), default);
        Assert.Equal(ConnectionStatus.CredentialsRefused, (await connections.GetAsync(mailbox, MailProtocol.Imap, default))!.Status);
    }
}
