using EmailInfra.Core.Inbox;
using MimeKit;

namespace EmailInfra.Core.Tests.Inbox;

public class MessageClassifierTests
{
    // The shape Postfix writes (RFC 3464): notice, delivery-status, original message.
    private const string Dsn = """
        From: Mail Delivery System <MAILER-DAEMON@mail.rig.test>
        Subject: Undelivered Mail Returned to Sender
        To: alice@alpha.test
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B"
        Message-Id: <dsn.1@mail.rig.test>

        --B
        Content-Type: text/plain

        I'm sorry to have to inform you that your message could not be delivered.

        --B
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.rig.test
        Arrival-Date: Sat, 28 Nov 2026 06:39:08 +0000 (UTC)

        Final-Recipient: rfc822; nobody@remote.test
        Original-Recipient: rfc822;nobody@remote.test
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; 127.0.0.1
        Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: Recipient address
            rejected: User unknown

        --B
        Content-Type: message/rfc822

        From: alice@alpha.test
        To: nobody@remote.test
        Subject: hi
        Message-ID: <orig.42@alpha.test>

        body
        --B--
        """;

    /// <summary>A Postfix-style report (from relay.test unless said): the human-readable notice, then a delivery-status part with one recipient's fields.</summary>
    private static MimeMessage Report(string notice, string recipientFields, string reportingMta = "relay.test") => Parse($$"""
        From: MAILER-DAEMON@relay.test
        To: alice@alpha.test
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"

        --b
        Content-Type: text/plain

        {{notice}}
        --b
        Content-Type: message/delivery-status

        Reporting-MTA: dns; {{reportingMta}}

        {{recipientFields}}
        --b--
        """);

    /// <summary>The one failed recipient of a message that must classify as a bounce about exactly one.</summary>
    private static FailedRecipient OnlyRecipient(MimeMessage message) =>
        Assert.Single(Assert.IsType<BounceVerdict>(MessageClassifier.Classify(message)).Recipients);

    private static MimeMessage Parse(string text) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))));

    [Fact]
    public void Classify_PostfixDsn_GivesRecipientStatusAndOriginal()
    {
        var verdict = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Parse(Dsn)));
        Assert.Equal("orig.42@alpha.test", verdict.OriginalMessageId);
        var recipient = Assert.Single(verdict.Recipients);
        Assert.Equal("nobody@remote.test", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.True(recipient.IsHard);
        Assert.True(recipient.IsFailure);
        Assert.Equal("550 5.1.1 <nobody@remote.test>: Recipient address rejected: User unknown", recipient.Diagnostic);
        Assert.Equal("550", recipient.ReplyCode);
        Assert.Equal("userunknown", recipient.Reason);
    }

    [Fact]
    public void NeedsBody_ReportOrMailerDaemon_True_PlainMail_False()
    {
        Assert.True(MessageClassifier.NeedsBody(Parse(Dsn).Headers));
        var plain = Parse("From: carol@beta.test\nTo: alice@alpha.test\nSubject: x\nMessage-ID: <p.1@beta.test>\n\nhello\n");
        Assert.False(MessageClassifier.NeedsBody(plain.Headers));
    }

    [Fact]
    public void Classify_Reply_KeepsIdsForLinking()
    {
        var reply = Parse("From: carol@beta.test\nTo: alice@alpha.test\nSubject: Re: x\nMessage-ID: <r.1@beta.test>\nIn-Reply-To: <orig.42@alpha.test>\nReferences: <a.0@alpha.test> <orig.42@alpha.test>\n\nthanks\n");
        var verdict = Assert.IsType<OrdinaryVerdict>(MessageClassifier.Classify(reply));
        Assert.Equal("r.1@beta.test", verdict.MessageId);
        Assert.Equal("orig.42@alpha.test", verdict.InReplyTo);
        Assert.Equal(["a.0@alpha.test", "orig.42@alpha.test"], verdict.References);
    }

    [Fact]
    public void Classify_DelayedNotice_IsNotAFailure()
    {
        var delayed = Dsn.Replace("Action: failed", "Action: delayed", StringComparison.Ordinal).Replace("Status: 5.1.1", "Status: 4.2.1", StringComparison.Ordinal);
        var verdict = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Parse(delayed)));
        Assert.False(verdict.Recipients.Single().IsFailure);
        Assert.False(verdict.Recipients.Single().IsHard);
    }

    [Fact]
    public void Classify_TemporaryStatusOnAFinalFailure_Expired()
    {
        var gaveUp = Dsn.Replace("Status: 5.1.1", "Status: 4.4.1", StringComparison.Ordinal)
            .Replace("Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: Recipient address\n    rejected: User unknown", "Diagnostic-Code: X-Postfix; connect to mx.remote.test[192.0.2.1]:25: Connection timed out", StringComparison.Ordinal);
        var recipient = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Parse(gaveUp))).Recipients.Single();
        Assert.Equal("4.4.1", recipient.Status);
        Assert.Equal("expired", recipient.Reason);
        Assert.False(recipient.IsHard);
    }

    [Fact]
    public void Classify_UnknownUserRefusedAfterData_IsFiltered_ButAtRcptIsUserUnknown()
    {
        static string Notice(string stage) => $$"""
            From: Mail Delivery System <MAILER-DAEMON@mail.rig.test>
            Subject: Undelivered Mail Returned to Sender
            To: alice@alpha.test
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            <gone@remote.test>: host mx.remote.test[192.0.2.7] said: 550 Unknown user
                gone@remote.test (in reply to {{stage}} command)

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.rig.test

            Final-Recipient: rfc822; gone@remote.test
            Action: failed
            Status: 5.0.0
            Diagnostic-Code: smtp; 550 Unknown user gone@remote.test

            --B--
            """;

        var afterData = OnlyRecipient(Parse(Notice("end of DATA")));
        Assert.Equal(("DATA", "filtered"), (afterData.Command, afterData.Reason));
        var atRcpt = OnlyRecipient(Parse(Notice("RCPT TO")));
        Assert.Equal(("RCPT", "userunknown", true), (atRcpt.Command, atRcpt.Reason, atRcpt.IsHard));
    }

    [Fact]
    public void Classify_SendmailPipelinedTranscript_TakesTheRcptAnswerAfterData_ForTheRcptStage()
    {
        var message = Parse("""
            From: Mail Delivery Subsystem <MAILER-DAEMON@mail.rig.test>
            Subject: Returned mail: see transcript for details
            To: alice@alpha.test

            The original message was received at Sat, 28 Nov 2026 09:00:00 GMT

               ----- The following addresses had permanent fatal errors -----
            <gone@remote.test>
                (reason: 550 5.1.1 <gone@remote.test>... User Unknown)

               ----- Transcript of session follows -----
            ... while talking to mx.remote.test.:
            >>> DATA
            <<< 550 5.1.1 <gone@remote.test>... User Unknown
            550 5.1.1 <gone@remote.test>... User unknown
            <<< 503 5.0.0 Need RCPT (recipient)
            """);
        var failed = OnlyRecipient(message);
        Assert.Equal(("gone@remote.test", "5.1.1", "RCPT", "userunknown"), (failed.Address, failed.Status, failed.Command, failed.Reason));
    }

    [Fact]
    public void Classify_FailureWithoutAnyCode_GetsTheGenericStatusOfItsClass()
    {
        var message = Parse("""
            From: Mail Delivery System <MAILER-DAEMON@mail.rig.test>
            Subject: Mail delivery failed
            To: alice@alpha.test

            The following address failed:

              gone@remote.test
                mailbox is full
            """);
        var failed = OnlyRecipient(message);
        Assert.Equal(("5.0.0", "mailboxfull", false), (failed.Status, failed.Reason, failed.IsHard));
    }

    [Fact]
    public void Classify_NoticeWithoutCodes_TakesTheEnvelopeRecipientOverOtherAddressesItMentions()
    {
        var message = Parse("""
            From: postmaster@remote.test (Automated response)
            Subject: FAILED MAIL to "gone"
            To: alice@alpha.test

            The standard form of address here is firstname.lastname@remote.test. The address
            your message was sent to, gone@remote.test, did not match any of ours.

            Original message as received is as follows:
            >Received: from mail.alpha.test by mx.remote.test with ESMTP id X1 for <gone@remote.test>; Sat, 28 Nov 2026 09:00:00 +0000
            >From: alice@alpha.test
            >Subject: hello
            """);
        var failed = OnlyRecipient(message);
        Assert.Equal("gone@remote.test", failed.Address);
    }

    [Fact]
    public void Classify_DsnWithoutDiagnostic_ReadsTheNoticeWhereItReportsOnTheRecipient_NotTheQuotedTo()
    {
        var message = Parse("""
            From: Internet Mail Delivery <postmaster@mx.rig.test>
            Subject: Delivery Notification: Delivery has failed
            To: alice@alpha.test
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            This report relates to a message you sent with the following header fields:

              From: alice@alpha.test
              To: nomail@remote.test
              Subject: hello

            Your message cannot be delivered to the following recipients:

              Recipient address: nomail@remote.test
              Reason: host/domain does not accept mail

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns;mx.rig.test

            Original-recipient: rfc822;nomail@remote.test
            Final-recipient: rfc822;nomail@remote.test
            Action: failed
            Status: 5.1.10

            --B--
            """);
        var failed = OnlyRecipient(message);
        Assert.Equal(("nomail@remote.test", "notaccept", true), (failed.Address, failed.Reason, failed.IsHard));
    }

    [Fact]
    public void Classify_AmazonSesNotices_InsideAnSnsEnvelope_BecomeBounceComplaintAndDelivery()
    {
        static MimeMessage Sns(string notice) => Parse($$"""
            From: SES <no-reply@sns.amazonaws.com>
            Subject: AWS Notification Message
            Content-Type: text/plain; charset=UTF-8

            {
              "Type" : "Notification",
              "Message" : "{{notice.Replace("\"", "\\\"", StringComparison.Ordinal)}}"
            }
            """);

        var bounce = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Sns("""{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"Gone@Remote.test","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"commonHeaders":{"messageId":"<m1@alpha.test>"}}}""")));
        var failed = Assert.Single(bounce.Recipients);
        Assert.Equal(("gone@remote.test", "5.1.1", "550", "userunknown", true), (failed.Address, failed.Status, failed.ReplyCode, failed.Reason, failed.IsHard));
        Assert.Equal("m1@alpha.test", bounce.OriginalMessageId);

        var complaint = Assert.IsType<ComplaintVerdict>(MessageClassifier.Classify(Sns("""{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"angry@remote.test"}],"complaintFeedbackType":"abuse"}}""")));
        Assert.Equal(("abuse", "angry@remote.test"), (complaint.FeedbackType, Assert.Single(complaint.Recipients)));

        var delivery = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Sns("""{"notificationType":"Delivery","delivery":{"recipients":["ok@remote.test"],"smtpResponse":"250 2.6.0 Message received"}}""")));
        Assert.Equal(("delivered", "2.6.0", "250", false), (delivery.Recipients[0].Reason, delivery.Recipients[0].Status, delivery.Recipients[0].ReplyCode, delivery.Recipients[0].IsFailure));

        // a provider's own code decides for its recipients here too (Spectrum's AUP#In-1310: a connection limit)
        var spectrum = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Sns("""{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","reportingMTA":"dsn; a1.smtp-out.amazonses.com","bouncedRecipients":[{"emailAddress":"neko@charter.net","action":"failed","status":"5.1.0","diagnosticCode":"smtp; 550 5.1.0 <x@amazonses.com> sender rejected. AUP#In-1310"}]}}""")));
        Assert.Equal(("toomanyconn", false), (spectrum.Recipients[0].Reason, spectrum.Recipients[0].IsHard));

        // a recipient without an address is dropped, a reply code is only ever a server's three digits, never a crash
        var partial = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(Sns("""{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"status":"5.1.1"},{"emailAddress":"gone@remote.test","status":"5.1.1","diagnosticCode":"5.1.1 user unknown"}]}}""")));
        Assert.Equal(("gone@remote.test", null), (Assert.Single(partial.Recipients).Address, partial.Recipients[0].ReplyCode));
    }

    [Fact]
    public void Classify_TextWithABrokenNotice_IsNotTakenForSes()
    {
        var message = Parse("""
            From: Someone <someone@remote.test>
            Subject: notificationType question
            Content-Type: text/plain

            What does {"notificationType": mean in SES? (not JSON at all
            """);
        Assert.IsType<OrdinaryVerdict>(MessageClassifier.Classify(message));
    }

    [Fact]
    public void Classify_DeeplyNestedMultipart_DoesNotRecurseWithoutBound()
    {
        var body = new TextPart("plain") { Text = "x" } as MimeEntity;
        for (var i = 0; i < 5000; i++)
        {
            var outer = new Multipart("mixed") { body };
            body = outer;
        }

        var message = new MimeMessage { Body = body };
        Assert.IsType<OrdinaryVerdict>(MessageClassifier.Classify(message));
    }

    [Fact]
    public void Classify_TextNotice_TakesTheQuotedServerCodeOverTheRelaysOwn()
    {
        // a relay that gave up (4.4.7) quoting the last reply it had from the server (<421 4.4.2 ...>)
        var message = Parse("""
            From: MAILER-DAEMON@relay.test
            To: alice@alpha.test
            Subject: Delivery Status Notification (Failure)

            An error occurred while trying to deliver the mail to the following recipients:
            slow@remote.test

            Technical report:
            Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("slow@remote.test", "4.4.2", "expired"), (recipient.Address, recipient.Status, recipient.Reason));
    }

    [Fact]
    public void Classify_TextNotice_LoneRecipientTakesTheTranscriptsCodeAndTheNextParagraphsCode()
    {
        var sendmail = Parse("""
            From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>
            To: alice@alpha.test
            Subject: Returned mail: see transcript for details

               ----- The following addresses had permanent fatal errors -----
            <gone@nowhere.test>
                (reason: 550 Host unknown)

               ----- Transcript of session follows -----
            550 5.1.2 <gone@nowhere.test>... Host unknown (Name server: nowhere.test: no data known)
            """);
        var first = OnlyRecipient(sendmail);
        Assert.Equal(("5.1.2", "hostunknown"), (first.Status, first.Reason));

        // DragonFly: the address in one paragraph, the server's reply in the next
        var dragonfly = Parse("""
            From: MAILER-DAEMON <>
            To: alice@alpha.test
            Subject: Mail delivery failed

            There was an error delivering your mail to <kept-out@remote.test>.

            mx.remote.test [192.0.2.25] did not like our RCPT TO:
            550 5.7.0 <kept-out@remote.test>: Recipient address rejected: Policy violation

            Message headers follow.
            """);
        var second = OnlyRecipient(dragonfly);
        Assert.Equal(("kept-out@remote.test", "5.7.0", "550"), (second.Address, second.Status, second.ReplyCode));
    }

    [Fact]
    public void Classify_ReportWhoseServerReplyAndCodeAgree_KeepsTheServersClass()
    {
        // Postfix filed a connection refusal as temporary (4.5.0); the server said 550 5.5.0
        var message = Report(
            "<someone@remote.test>: host mx.remote.test[192.0.2.1] refused to talk to me: 550 5.5.0 Service refused",
            "Final-Recipient: rfc822; someone@remote.test\nAction: failed\nStatus: 4.5.0\nDiagnostic-Code: smtp; 550 5.5.0 Service refused, please try later");
        var recipient = OnlyRecipient(message);
        Assert.Equal("5.5.0", recipient.Status);
    }

    [Fact]
    public void Classify_CarrierNoticeUnderAPlainSenderAndSubject_IsABounceWhenTheOriginalComesBack()
    {
        var notice = """
            From: no-reply@carrier.test
            To: alice@alpha.test
            Subject: Mail
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
                 Could not be delivered to: <full@carrier.test>
                 As their mailbox is full.
            --b
            Content-Type: message/rfc822

            From: alice@alpha.test
            To: full@carrier.test
            Message-ID: <orig.3@alpha.test>
            Subject: hello

            hi
            --b--
            """;
        var recipient = OnlyRecipient(Parse(notice));
        Assert.Equal(("full@carrier.test", "mailboxfull"), (recipient.Address, recipient.Reason));

        // a person forwarding a message with a note of their own is not a bounce
        Assert.IsNotType<BounceVerdict>(MessageClassifier.Classify(Parse(notice.Replace("Could not be delivered to", "Have a look at this, sent to", StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("550 <gone@remote.test>: User unknown", "userunknown", "RCPT")] // the refused recipient echoed: the answer to RCPT TO
    [InlineData("550: <gone@remote.test>: User unknown", "userunknown", "RCPT")]
    [InlineData("550 : User unknown", "filtered", null)] // no address, no stage: refused after the message, as filters do
    [InlineData("550 5.1.1 <other@remote.test>: User unknown", "userunknown", null)] // the x.1.1 status decides
    public void Classify_UserUnknownWords_TakeTheStageFromTheEchoedRecipient(string reply, string reason, string? command)
    {
        var message = Report("Your message could not be delivered.", $"Final-Recipient: rfc822; gone@remote.test\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; {reply}");
        var recipient = OnlyRecipient(message);
        Assert.Equal((reason, command), (recipient.Reason, recipient.Command));
    }

    [Theory]
    // MessageLabs reports its customers' unknown users as "No such user"; elsewhere the bare words without a stage or an
    // x.1.x status are a filter's
    [InlineData("neko@example.org", "server-7.tower-1.messagelabs.com", "mx.example.org", "550 neko@example.org... No such user", "userunknown")]
    [InlineData("neko@example.org", "relay.test", "mx.example.org", "550 neko@example.org... No such user", "filtered")]
    // DOCOMO refuses at the end of DATA with "Unknown user" when its reception filter says no; at RCPT TO it means it
    [InlineData("neko@docomo.ne.jp", "relay.test", "mfsmax.docomo.ne.jp", "550 Unknown user neko@docomo.ne.jp (in reply to end of DATA command)", "rejected")]
    [InlineData("neko@docomo.ne.jp", "relay.test", "mfsmax.docomo.ne.jp", "550 Unknown user neko@docomo.ne.jp (in reply to RCPT TO command)", "userunknown")]
    [InlineData("neko@example.jp", "relay.test", "mx.example.jp", "550 Unknown user neko@example.jp (in reply to end of DATA command)", "filtered")]
    // Spectrum numbers its refusals: 1300-1340 are connection limits, 1530 a message too large, whatever the words say
    [InlineData("neko@charter.net", "relay.test", "mx.charter.net", "550 5.1.0 <bounce@alpha.test> sender rejected. AUP#In-1310", "toomanyconn")]
    [InlineData("neko@charter.net", "relay.test", "mx.charter.net", "550 5.1.0 <bounce@alpha.test> sender rejected. AUP#In-1530", "mesgtoobig")]
    [InlineData("neko@example.org", "relay.test", "mx.example.org", "550 5.1.0 <bounce@alpha.test> sender rejected. AUP#In-1310", "rejected")]
    // Orange's code in a relay's words ("host: smtp-in.orange.fr"), for a recipient at a domain Orange hosts
    [InlineData("neko@example.fr", "relay.test", "relay.test", "SMTP error from remote server for TEXT command, host: smtp-in.orange.fr (192.0.2.65) reason: 550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]", "spamdetected")]
    // GoDaddy and Cox number their refusals too (IB212: spam content; AUP#CXDNS: no reverse DNS)
    [InlineData("neko@example.com", "relay.test", "smtp.secureserver.net", "552 5.7.1 Message refused. IB212", "spamdetected")]
    [InlineData("neko@cox.net", "relay.test", "cxr.mx.a.cloudfilter.net", "554 5.7.1 Connection refused. AUP#CXDNS", "requireptr")]
    // Tencent and Mimecast by their published phrasings
    [InlineData("neko@qq.com", "relay.test", "mx3.qq.com", "550 Mail content denied. https://service.mail.qq.com/detail/122/171", "spamdetected")]
    [InlineData("neko@example.org", "relay.test", "eu-smtp-inbound-1.mimecast.com", "550 Envelope blocked - User Entry - https://community.mimecast.com", "rejected")]
    // Google's published messages, for a Workspace domain whose MX is Google's: an address "not valid per RFC 5321" is the
    // sender's with 5.1.7 and the recipient's with 5.1.3; elsewhere the same words decide nothing by themselves
    [InlineData("neko@example.com", "relay.test", "aspmx.l.google.com", "550 5.2.1 The email account that you tried to reach is inactive.", "suspend")]
    [InlineData("neko@example.com", "relay.test", "aspmx.l.google.com", "553 5.1.7 The sender address <x> is not a valid RFC 5321 address.", "notcompliantrfc")]
    [InlineData("neko@example.com", "relay.test", "aspmx.l.google.com", "553 5.1.3 The recipient address <x> is not a valid RFC 5321 address.", "userunknown")]
    [InlineData("neko@example.com", "relay.test", "mx.example.com", "553 5.1.7 The sender address <x> is not a valid RFC 5321 address.", "rejected")]
    public void Classify_AProvidersOwnReply_MeansWhatItsTableSays(string recipient, string reportingMta, string remoteMta, string reply, string reason)
    {
        var message = Report("Your message could not be delivered.", $"Final-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.0.0\nRemote-MTA: dns; {remoteMta}\nDiagnostic-Code: smtp; {reply}", reportingMta);
        Assert.Equal(reason, OnlyRecipient(message).Reason);
    }

    [Theory]
    [InlineData("Status: 4.5.0\nDiagnostic-Code: smtp; 421", "expired")] // a delay that names no cause: waiting out the queue
    [InlineData("Status: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full", "mailboxfull")]
    public void Classify_ADelayNotice_IsExpiredUnlessItsWordsNameTheCause(string fields, string reason)
    {
        var message = Report("Your message has not been delivered yet; the mail system will keep trying.", "Final-Recipient: rfc822; neko@remote.test\nAction: delayed\n" + fields);
        var recipient = OnlyRecipient(message);
        Assert.Equal((reason, false), (recipient.Reason, recipient.IsHard));
    }

    [Fact]
    public void Classify_GaveUpAboutTheOnlyRecipient_TakesTheCauseFromTheLogOfAttempts()
    {
        // Exchange: the DSN says 4.4.7 (expired); its log of attempts says why (4.4.1, no answer). The report ends with
        // an empty group, which does not make it a report about two recipients.
        var message = Parse("""
            From: postmaster@exchange.test
            To: alice@alpha.test
            Subject: Undeliverable: hello
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Delivery has failed to these recipients or groups:

            slow@remote.test
            The server has tried to deliver this message, without success, and has stopped trying.

            Diagnostic information for administrators:

            slow@remote.test
            3/09/2016 8:05:56 PM - Remote Server at remote.test returned '550 4.4.7 QUEUE.Expired; message expired'
            3/09/2016 7:58:27 PM - Remote Server at remote.test returned '441 4.4.1 Error encountered while communicating with primary target IP address'
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; exchange.test

            Final-Recipient: rfc822; slow@remote.test
            Action: failed
            Status: 4.4.7
            Diagnostic-Code: smtp;550 4.4.7 QUEUE.Expired; message expired


            --b--
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("4.4.1", "expired"), (recipient.Status, recipient.Reason));
    }

    [Fact]
    public void Classify_MailingListRefusingANonMember_IsARejectionOfTheListAddress()
    {
        var message = Parse("""
            From: list-admin@lists.test
            To: alice@alpha.test
            Subject: You alice@alpha.test are not member (sales ML)
            X-MLServer: fml [fml 4.0.3 release]

            You are not a member of this mailing list <sales@lists.test>.
            If you know the general guide of this list, please send mail with
            the mail body guide to the address sales-ctl@lists.test
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("sales@lists.test", "rejected", false), (recipient.Address, recipient.Reason, recipient.IsHard));
    }

    [Fact]
    public void Classify_PermanentRefusalWithoutAnyCode_IsHardOnceItsClassIsKnown()
    {
        // no code anywhere: the status class is decided last (5.0.0 here), and with it whether "notaccept" is hard
        var message = Parse("""
            From: MAILER-DAEMON@relay.test
            To: alice@alpha.test
            Subject: Mail delivery failed: returning message to sender

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              someone@nomail.test
                The domain nomail.test does not accept mail (null MX)
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("notaccept", "5.0.0", true), (recipient.Reason, recipient.Status, recipient.IsHard));
    }

    [Theory]
    [InlineData("Status: 5.1.1\nDiagnostic-Code: x-unix; procmail: Couldn't create \"/var/spool/mail/neko\": No such user", "mailererror", false)]
    [InlineData("Status: 4.3.0\nDiagnostic-Code: x-unix; temporary failure", "mailererror", false)]
    [InlineData("Status: 5.2.2\nDiagnostic-Code: x-unix; mailbox is full", "mailboxfull", false)] // the words name the cause
    [InlineData("Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 No such user", "userunknown", true)] // a remote server's answer
    public void Classify_LocalDeliveryProgramFailure_IsAMailerErrorUnlessItsWordsNameTheCause(string fields, string reason, bool hard)
    {
        var recipient = OnlyRecipient(
            Report("The mail system could not deliver your message.", "Final-Recipient: rfc822; neko@relay.test\nAction: failed\n" + fields));
        Assert.Equal((reason, hard), (recipient.Reason, recipient.IsHard));
    }

    [Fact]
    public void Classify_NoticeThatListsTheRcptToCommand_TakesThatStage()
    {
        var message = Parse("""
            From: post_master@carrier.test
            To: alice@alpha.test
            Subject: Re: hello

            Error: Invalid user address
            Error message below:
            550 - Requested action not taken: no such user here
            Message details:
              MAIL FROM: alice@alpha.test
              RCPT TO: gone@carrier.test
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("gone@carrier.test", "RCPT", "userunknown", true), (recipient.Address, recipient.Command, recipient.Reason, recipient.IsHard));
    }

    [Fact]
    public void Classify_ReportWhoseOnlyGroupNamesAMailboxPath_LendsItsStatusToTheRecipientTheNoticeNames()
    {
        var message = Report(
            "This is a permanent error. The following address(es) failed:\n  save to /mail/spool/full.neko\n    generated by neko@remote.test\n    mailbox is full: retry timeout exceeded",
            "Final-Recipient: rfc822;/mail/spool/full.neko\nAction: failed\nStatus: 5.0.0");
        var recipient = OnlyRecipient(message);
        Assert.Equal(("neko@remote.test", "5.0.0", "mailboxfull"), (recipient.Address, recipient.Status, recipient.Reason));
    }

    [Fact]
    public void Classify_SendmailRemoteProtocolError_TakesTheServersReplyAboveItAndStopsAtTheNextHost()
    {
        // An old Sendmail's transcript: each host's part names its recipients; "Remote protocol error" says only that
        // the server answered unexpectedly, the "<<<" reply above it says what it answered (and to which command).
        var message = Parse("""
            From: Mail Delivery Subsystem <MAILER-DAEMON@relay.test>
            To: alice@alpha.test
            Subject: Returned mail: Unable to deliver mail

               ----- Transcript of session follows -----
            While talking to mx.remote.test:
            >>> MAIL From:<alice@alpha.test>
            <<< 550 Insecure Mail Relay
            554 <neko@remote.test>... Remote protocol error
            550 other.test (smtp)... 550 Host unknown
            554 <tama@other.test>... 550 Host unknown (Authoritative answer from name server)

               ----- Unsent message follows -----
            From: alice@alpha.test
            To: neko@remote.test

            hi
            """);
        var recipients = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(message)).Recipients;
        Assert.Equal(
            [("neko@remote.test", "norelaying", "MAIL"), ("tama@other.test", "hostunknown", null)],
            recipients.Select(r => (r.Address, r.Reason, r.Command)).ToArray());
    }

    [Theory]
    [InlineData("550 5.7.1 Relaying denied: open relay not allowed here", "norelaying")]
    [InlineData("501 <alice@alpha.test>... no access from mail server [192.0.2.55] which is an open relay.", "blocked")] // our server is listed as one
    public void Classify_OpenRelayWords_TellARelayRefusalFromABlockOfTheSender(string reply, string reason)
    {
        var message = Report("Your message could not be delivered.", $"Final-Recipient: rfc822; neko@remote.test\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; {reply}");
        Assert.Equal(reason, OnlyRecipient(message).Reason);
    }

    [Fact]
    public void Classify_DeliveryStatusFieldsQuotedInAPlainNotice_AreReadAsTheReport()
    {
        // A provider's daemon forwards its relay's bounce inline, in a plain-text message: the relay's report fields are
        // the facts (neither the contact address in the provider's preamble nor the alias a recipient was expanded from
        // failed).
        var message = Parse("""
            From: MAILER-DAEMON@isp.test
            To: alice@alpha.test
            Subject: Undelivered Mail Returned to Sender
            Content-Type: text/plain

            The message returned below could not be delivered to one or more destinations.
            Bei Fragen: <support@isp.test>
            ---------------------------------
            From MAILER-DAEMON  Thu Apr 29 23:34:45 2015
            Subject: Undelivered Mail Returned to Sender
            Content-Type: multipart/report; report-type=delivery-status; boundary="lost"

            <tama@remote.test> (expanded from <alias@remote.test>): host mx.remote.test[192.0.2.7] refused to talk to me:
                421 Service not available

            Reporting-MTA: dns; relay.isp.test

            Final-Recipient: rfc822; tama@remote.test
            Action: failed
            Status: 4.0.0
            Diagnostic-Code: X-Postfix; host mx.remote.test[192.0.2.7] refused to talk to
                me: 421 Service not available

            Final-Recipient: rfc822; neko@other.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <neko@other.test>: Recipient address rejected: User unknown
            """);
        var recipients = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(message)).Recipients;
        Assert.Equal(
            [("tama@remote.test", "4.0.0", "blocked", false), ("neko@other.test", "5.1.1", "userunknown", true)],
            recipients.Select(r => (r.Address, r.Status, r.Reason, r.IsHard)).ToArray());
    }

    [Fact]
    public void Classify_ARecipientWithoutWordsInAReportAboutSeveral_IsNotJudgedByTheOthersWords()
    {
        var message = Report(
            "Delivery to the following recipients failed:\n  neko@remote.test\n  tama@other.test: host name lookup failure",
            "Final-Recipient: rfc822; neko@remote.test\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 Nope\n\n"
            + "Final-Recipient: rfc822; tama@other.test\nAction: failed\nStatus: 5.4.4\nDiagnostic-Code: dns; host name lookup failure");
        var recipients = Assert.IsType<BounceVerdict>(MessageClassifier.Classify(message)).Recipients;
        Assert.Equal([("neko@remote.test", "onhold"), ("tama@other.test", "networkerror")], recipients.Select(r => (r.Address, r.Reason)).ToArray());
    }

    [Fact]
    public void Classify_InterScansRecipientRefusal_IsAnUnknownUserRefusedAtRcpt()
    {
        // InterScan passes on the recipient server's refusal of the address in its own words, without the stage
        var message = Parse("""
            From: InterScan MSS <postmaster@gateway.test>
            To: alice@alpha.test
            Subject: Mail could not be delivered

            ****** Message from InterScan Messaging Security Suite ******

            The following mail could not be delivered.
            Reason:  Unable to deliver message to <neko@remote.test> (and other recipients in the same domain).
            """);
        var recipient = OnlyRecipient(message);
        Assert.Equal(("neko@remote.test", "userunknown", "RCPT", true), (recipient.Address, recipient.Reason, recipient.Command, recipient.IsHard));
    }

    [Theory]
    [InlineData("5.1.0", "550 #5.1.0 Address rejected.", "userunknown")] // the recipient's address: its x.1.x status says so
    [InlineData("5.7.1", "550 5.7.1 <alice@alpha.test>: Sender address rejected: Access denied", "rejected")]
    [InlineData("5.7.1", "553 5.7.1 Envelope address rejected", "rejected")]
    public void Classify_AddressRejected_IsTheSendersOnlyWhenTheWordsSaySo(string status, string reply, string reason)
    {
        var message = Report("Your message could not be delivered.", $"Final-Recipient: rfc822; neko@remote.test\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp; {reply}");
        Assert.Equal(reason, OnlyRecipient(message).Reason);
    }

    [Theory]
    [InlineData("5.7.1", "550 5.7.1 Access denied", "rejected")] // "delivery not authorized" in reply to MAIL FROM: the sender is refused
    [InlineData("5.0.0", "550 Unauthenticated senders not allowed", "securityerror")] // a named security cause stays what it is
    public void Classify_ASecurityRefusalOfMailFrom_IsTheSendersOnlyWhenItsCodeSaysNotAuthorised(string status, string reply, string reason)
    {
        var message = Report(
            $"<neko@remote.test>: host mx.remote.test[192.0.2.1] said: {reply} (in reply to MAIL FROM command)",
            $"Final-Recipient: rfc822; neko@remote.test\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp; {reply}");
        Assert.Equal(reason, OnlyRecipient(message).Reason);
    }

    [Fact]
    public void Classify_ATemporaryRefusalReportedAsFinalWithoutWordsThatExplainIt_StaysOnHold()
    {
        // some senders report a 4xx as final without retrying: that the queue "gave up" (expired) is not known
        var message = Report("Delivery failed.", "Final-Recipient: rfc822; neko@remote.test\nAction: failed\nStatus: 4.0.0\nDiagnostic-Code: smtp; 450 4.0.0 Temporary failure");
        var recipient = OnlyRecipient(message);
        Assert.Equal(("onhold", false), (recipient.Reason, recipient.IsHard));
    }
}
