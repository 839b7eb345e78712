using EmailInfra.Core.Inbox;
using MimeKit;

namespace EmailInfra.Core.Tests.Inbox;

public class ReportClassificationTests
{
    private static MimeMessage Parse(string text) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))));

    // RFC 5965 section 2 shape
    internal const string Arf = """
        From: <abusedesk@example.com>
        To: <alice@alpha.test>
        Subject: FW: Earn money
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="part1"

        --part1
        Content-Type: text/plain; charset="US-ASCII"

        This is an email abuse report for an email message received from IP 192.0.2.1.

        --part1
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        Original-Mail-From: <alice@alpha.test>
        Original-Rcpt-To: <jane@example.net>
        Source-IP: 192.0.2.1

        --part1
        Content-Type: message/rfc822

        From: <alice@alpha.test>
        To: <jane@example.net>
        Subject: Earn money
        Message-ID: <orig.7@alpha.test>

        Spam Spam Spam
        --part1--
        """;

    [Fact]
    public void Classify_ArfReport_ComplaintWithTypeRecipientAndOriginal()
    {
        var verdict = Assert.IsType<ComplaintVerdict>(MessageClassifier.Classify(Parse(Arf)));
        Assert.Equal("abuse", verdict.FeedbackType);
        Assert.Equal(["jane@example.net"], verdict.Recipients);
        Assert.Equal("orig.7@alpha.test", verdict.OriginalMessageId);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\nSubject: Re: hello\n")]
    [InlineData("Subject: Out of Office: hello\n")]
    [InlineData("Subject: Automatic reply: hello\n")]
    [InlineData("X-Autoreply: yes\nSubject: Re: hello\n")]
    public void Classify_AutoReplies_NotTakenForHumanReplies(string headers)
    {
        var message = Parse("From: jane@example.net\nTo: alice@alpha.test\nMessage-ID: <a.1@example.net>\nIn-Reply-To: <orig.7@alpha.test>\n" + headers + "\nI am away until Monday.\n");
        var verdict = Assert.IsType<AutoReplyVerdict>(MessageClassifier.Classify(message));
        Assert.Equal("orig.7@alpha.test", verdict.InReplyTo);
    }

    [Fact]
    public void Classify_HumanReplyWithAutoSubmittedNo_IsOrdinary() =>
        Assert.IsType<OrdinaryVerdict>(MessageClassifier.Classify(Parse("From: jane@example.net\nTo: alice@alpha.test\nAuto-Submitted: no\nSubject: Re: hello\nIn-Reply-To: <o@alpha.test>\n\nThanks!\n")));

    [Fact]
    public void Classify_FreeTextBounce_RecipientStatusAndReasonFromTheNotice()
    {
        var message = Parse("""
            From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>
            To: alice@alpha.test
            Subject: Mail delivery failed: returning message to sender

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              gone@example.org
                SMTP error from remote mail server after RCPT TO:<gone@example.org>:
                550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown

            ------ This is a copy of the message, including all the headers. ------

            From: alice@alpha.test
            To: gone@example.org
            Message-ID: <orig.9@alpha.test>
            """);
        var verdict = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(message));
        var recipient = Assert.Single(verdict.Recipients);
        Assert.Equal("gone@example.org", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Equal("550", recipient.ReplyCode);
        Assert.Equal("userunknown", recipient.Reason);
        Assert.True(recipient.IsHard);
        Assert.Equal("orig.9@alpha.test", verdict.OriginalMessageId);
    }

    [Theory]
    [InlineData("5.1.2", "550 5.1.2 Recipient address rejected: user unknown", "hostunknown")] // a specific code wins over broad words
    [InlineData("5.7.1", "550 5.7.1 Message rejected as spam by Content Filtering", "spamdetected")] // a broad code lets the words decide
    [InlineData("5.2.2", "552 5.2.2 Mailbox full", "mailboxfull")]
    [InlineData("4.4.7", "Delivery time expired", "expired")]
    [InlineData("5.0.0", "554 Recipient address rejected: Mailer error", "mailererror")]
    [InlineData(null, "553 sorry, that domain isn't in my list of allowed rcpthosts", "norelaying")] // qmail: not a domain this host takes mail for
    [InlineData("5.1.1", "552 sorry, mailbox kijitora@example.org is over quota temporarily (#5.1.1)", "mailboxfull")] // 5.1.1 yields to named causes
    [InlineData("5.1.1", "550 5.1.1 <x@example.com> - 203.0.113.222 has sent to too many recipients this hour", "speeding")]
    [InlineData("5.1.1", "550 5.1.1 Refused due to recipient preferences", "filtered")]
    [InlineData("5.1.1", "550 5.1.1 rejected by the recipient domain: user unknown", "userunknown")] // but not to a domain's refusal
    [InlineData("5.6.1", "500 5.6.1 Message content rejected", "spamdetected")] // a content filter's refusal, not a malformed message
    [InlineData("5.6.1", "554 5.6.1 improper use of 8-bit data in message header", "contenterror")]
    [InlineData("4.4.7", "Deferred: Connection timed out with mx.example.org", "expired")] // connections that timed out until the queue gave up
    [InlineData("4.4.7", "Deferred: No route to host", "networkerror")] // "gave up" lets the words say why
    [InlineData("5.0.0", "553 mx.example.net does not exist", "hostunknown")]
    [InlineData("5.0.0", "553 <someone@example.net> does not exist", "userunknown")] // an address is not a host name
    [InlineData("5.7.0", "554 554 5.7.0 Header error (state 18).", "filtered")] // Gmail's relay refused after DATA, no specific code
    [InlineData("5.1.1", "550 550 5.1.1 user unknown (state 17).", "userunknown")] // a specific code still says more than the state
    [InlineData("4.0.0", "451 Could not load DRD for domain (example.com)", "systemerror")]
    [InlineData("4.0.0", "450 4.0.0 Temporary failure", "onhold")] // generic words name no cause
    [InlineData("5.5.0", "554 Service unavailable", "onhold")] // x.5.0 is an undefined protocol status, not a syntax error
    [InlineData(null, "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "networkerror")] // qmail's own words
    [InlineData(null, "all host address lookups failed permanently", "hostunknown")] // Exim's
    [InlineData(null, "No MX found for domain", "notaccept")] // OpenSMTPD's
    [InlineData("5.0.0", "550 Requested action not taken: mailbox unavailable (not enough free space)", "systemfull")] // the longer phrase decides
    [InlineData("5.7.1", "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", "rejected")] // Exchange's NDR code decides
    [InlineData("5.2.3", "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient", "exceedlimit")]
    [InlineData(null, "Message has exceeded maximum hop count", "networkerror")] // Notes; "has exceeded" alone says nothing of a mailbox
    [InlineData(null, "MSEXCH:IMS:EXAMPLE 0 (000C0595) Ambiguous Recipient", "filtered")] // Exchange 2003's code decides
    public void ReasonFor_StatusAndText(string? status, string diagnostic, string reason) =>
        Assert.Equal(reason, BounceRules.Default.ReasonFor(status, diagnostic));

    [Theory]
    [InlineData("userunknown", "5.1.1", true)]
    [InlineData("mailboxfull", "5.2.2", false)]
    [InlineData("notaccept", "5.3.2", true)]
    [InlineData("notaccept", "4.3.2", false)]
    public void IsHard_FollowsTheRules(string reason, string status, bool hard) =>
        Assert.Equal(hard, BounceRules.Default.IsHard(reason, status));

    [Fact]
    public void ClassificationRow_Garbage_GivesAMalformedRowNotAnException()
    {
        var rows = ClassificationRow.For("x.eml", new MemoryStream([0, 1, 2, 0xff, 0xfe, (byte)'\n', (byte)':', (byte)'\n']));
        Assert.Single(rows);
        Assert.Equal(0, rows[0].Index);
    }

    [Fact]
    public void ClassificationRow_Mbox_ClassifiesEveryMessageAndNumbersOn()
    {
        static string Bounce(string recipient) => $"""
            From: MAILER-DAEMON@relay.test
            To: alice@alpha.test
            Subject: Undelivered Mail Returned to Sender

            <{recipient}>: host mx.remote.test[192.0.2.1] said: 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown (in reply to RCPT TO command)

            """;
        var mbox = "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n" + Bounce("one@remote.test")
            + "From MAILER-DAEMON  Thu Jul  2 12:06:05 2020\n" + "From: bob@remote.test\nTo: alice@alpha.test\nSubject: lunch?\n\nHi\n\n"
            + "From MAILER-DAEMON  Thu Jul  2 12:07:05 2020\n" + Bounce("two@remote.test");
        var rows = ClassificationRow.For("box.mbox", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mbox)));
        Assert.Equal([(1, "one@remote.test", "userunknown"), (2, "two@remote.test", "userunknown")], rows.Select(r => (r.Index, r.Recipient, r.Reason)).ToList());

        // a broken or truncated entry after the first: the file ends there, what was read stands
        foreach (var tail in new[] { "From x\n\0\u00ff:::\n", "From MAILER-DAEMON  Thu Jul  2 12:08:05 2020\n", "From " })
        {
            var broken = ClassificationRow.For("broken.mbox", new MemoryStream(System.Text.Encoding.UTF8.GetBytes("From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n" + Bounce("one@remote.test") + tail)));
            Assert.Equal("one@remote.test", broken[0].Recipient);
        }

        // one message that starts with a postmark is still one message
        var single = ClassificationRow.For("one.eml", new MemoryStream(System.Text.Encoding.UTF8.GetBytes("From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n" + Bounce("one@remote.test"))));
        Assert.Equal("one@remote.test", Assert.Single(single).Recipient);
    }
}
