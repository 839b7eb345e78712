using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MailKit.Search;
using MimeKit;

namespace EmailInfra.Infrastructure.Tests.Mail;

public class MailKitMailSenderTests
{
    private static Mailbox Alice(MailServerEndpoint smtp) => new(
        "alice@alpha.test", "rig", smtp, new MailServerEndpoint(Rig.Host, Rig.ImapPort, TlsMode.StartTls),
        "alice@alpha.test", "unused", MailboxState.Warming, DateTimeOffset.UnixEpoch);

    private static readonly MailServerEndpoint Submission = new(Rig.Host, Rig.SubmissionPort, TlsMode.StartTls);

    private static MimeMessage Message(string to, out string messageId)
    {
        messageId = MessageComposer.NewMessageId("alice@alpha.test");
        var message = new MimeMessage { MessageId = messageId, Subject = "adapter test " + messageId };
        message.From.Add(MailboxAddress.Parse("alice@alpha.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_StartTlsWithAuth_AcceptedAndDelivered()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(Submission), new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("carol@beta.test", out var id), default);
        Assert.Equal(SmtpOutcomeKind.Accepted, outcome.Kind);
        Assert.StartsWith("250 ", outcome.Reply, StringComparison.Ordinal);
        Assert.NotNull(await RigMail.WaitForAsync("carol@beta.test", SearchQuery.HeaderContains("Message-ID", id)));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true, "00:00:05", 1)]
    [InlineData(true, "00:00:00", 1)]
    [InlineData(false, "00:00:05", 3)]
    public async Task Send_ThreeMessages_ReuseOneLoggedInConnection_UnlessDisabled(bool reuse, string probeAfterIdle, int expectedConnections)
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices(new Dictionary<string, string?>
        {
            ["MailTransport:ReuseConnections"] = reuse.ToString(),
            ["MailTransport:ProbeAfterIdle"] = probeAfterIdle, // zero: every reuse probes with NOOP first
        });
        var sender = rig.Get<EmailInfra.Infrastructure.Mail.MailKitMailSender>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var outcome = await sender.SendAsync(Alice(Submission), new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("dave@beta.test", out var id), default);
            Assert.Equal(SmtpOutcomeKind.Accepted, outcome.Kind);
            ids.Add(id);
        }

        Assert.Equal(expectedConnections, sender.ConnectionsOpened);
        foreach (var id in ids)
        {
            Assert.NotNull(await RigMail.WaitForAsync("dave@beta.test", SearchQuery.HeaderContains("Message-ID", id)));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_RefusedRecipientOnAReusedConnection_ConnectionStaysUsable()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var sender = rig.Get<EmailInfra.Infrastructure.Mail.MailKitMailSender>();
        var credentials = new MailboxCredentials("alice@alpha.test", "alice-pw");
        Assert.Equal(SmtpOutcomeKind.Accepted, (await sender.SendAsync(Alice(Submission), credentials, Message("carol@beta.test", out _), default)).Kind);
        Assert.Equal(SmtpOutcomeKind.PermanentFailure, (await sender.SendAsync(Alice(Submission), credentials, Message("nobody@beta.test", out _), default)).Kind);
        Assert.Equal(SmtpOutcomeKind.Accepted, (await sender.SendAsync(Alice(Submission), credentials, Message("carol@beta.test", out _), default)).Kind);
        Assert.Equal(1, sender.ConnectionsOpened);
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_ImplicitTls_Accepted()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(new MailServerEndpoint(Rig.Host, Rig.SmtpsPort, TlsMode.Implicit)),
            new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("dave@beta.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.Accepted, outcome.Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_WrongPassword_AuthenticationFailed()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(Submission), new MailboxCredentials("alice@alpha.test", "wrong"), Message("carol@beta.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.AuthenticationFailed, outcome.Kind);
        Assert.DoesNotContain("wrong", outcome.Reply, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_UnknownLocalUser_PermanentWithEnhancedStatus()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(Submission), new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("nobody@alpha.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Equal(550, outcome.ReplyCode);
        Assert.Equal("5.1.1", outcome.EnhancedStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task Send_PlaintextToUnlistedHost_RefusedWithoutConnecting()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(new MailServerEndpoint(Rig.Host, Rig.SubmissionPort, TlsMode.None)),
            new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("carol@beta.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.TlsUnavailable, outcome.Kind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Send_StartTlsRequiredButNotOffered_TlsUnavailable()
    {
        // The fake remote MX on 2526 offers no STARTTLS.
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(new MailServerEndpoint(Rig.Host, 2526, TlsMode.StartTls)),
            new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("ok@remote.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.TlsUnavailable, outcome.Kind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Send_NothingListening_ConnectionFailed()
    {
        await using var rig = new RigServices();
        var outcome = await rig.Get<IMailSender>().SendAsync(
            Alice(new MailServerEndpoint(Rig.Host, 1, TlsMode.StartTls)),
            new MailboxCredentials("alice@alpha.test", "alice-pw"), Message("carol@beta.test", out _), default);
        Assert.Equal(SmtpOutcomeKind.ConnectionFailed, outcome.Kind);
    }
}
