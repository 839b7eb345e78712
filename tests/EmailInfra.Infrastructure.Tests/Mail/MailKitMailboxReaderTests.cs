using EmailInfra.Core.Inbox;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Testing;
using MailKit.Search;
using MimeKit;

namespace EmailInfra.Infrastructure.Tests.Mail;

public class MailKitMailboxReaderTests
{
    private static Mailbox Bob => new(
        "bob@alpha.test", "rig", new MailServerEndpoint(Rig.Host, Rig.SubmissionPort, TlsMode.StartTls),
        new MailServerEndpoint(Rig.Host, Rig.ImapPort, TlsMode.StartTls), "bob@alpha.test", "unused", MailboxState.Warming, DateTimeOffset.UnixEpoch);

    [Fact(Timeout = 60_000)]
    public async Task OpenFolder_FindsInboxAndJunkBySpecialUse_FetchesOnlyNewer()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var id = $"reader.{Guid.NewGuid():N}@alpha.test";
        var message = new MimeMessage { MessageId = id, Subject = "reader test" };
        message.From.Add(MailboxAddress.Parse("alice@alpha.test"));
        message.To.Add(MailboxAddress.Parse("bob@alpha.test"));
        message.Body = new TextPart("plain") { Text = "x" };
        await RigMail.AppendAsync("bob@alpha.test", message, "Junk");

        var session = await rig.Get<IMailboxReader>().OpenAsync(Bob, new MailboxCredentials("bob@alpha.test", "bob-pw"), default);
        await using (session)
        {
            var inbox = await session.OpenFolderAsync(FolderRole.Inbox, default);
            Assert.Equal("INBOX", inbox!.Name);
            var junk = await session.OpenFolderAsync(FolderRole.Junk, default);
            Assert.Equal("Junk", junk!.Name);
            Assert.True(junk.UidValidity > 0);

            var all = await session.FetchHeadersAfterAsync(0, 5000, default);
            var ours = Assert.Single(all, h => h.Headers[HeaderId.MessageId] == $"<{id}>");
            Assert.Empty(await session.FetchHeadersAfterAsync(all.Max(h => h.Uid), 5000, default));
            var body = await session.FetchMessageAsync(ours.Uid, default);
            Assert.Equal(id, body.MessageId);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task FetchHeaders_TellsAMessageThatCarriesAnotherOne()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        MimeMessage Message(string id, MimeEntity body)
        {
            var message = new MimeMessage { MessageId = id, Subject = "Mail" };
            message.From.Add(MailboxAddress.Parse("no-reply@carrier.test"));
            message.To.Add(MailboxAddress.Parse("bob@alpha.test"));
            message.Body = body;
            return message;
        }

        var plainId = $"plain.{Guid.NewGuid():N}@carrier.test";
        var carrierId = $"carrier.{Guid.NewGuid():N}@carrier.test";
        var original = new MimeMessage { MessageId = "orig@alpha.test", Subject = "hello" };
        original.Body = new TextPart("plain") { Text = "hi" };
        await RigMail.AppendAsync("bob@alpha.test", Message(plainId, new Multipart("mixed") { new TextPart("plain") { Text = "see attached" }, new MimePart("application", "pdf") { Content = new MimeContent(new MemoryStream([1, 2, 3])) } }), "Junk");
        await RigMail.AppendAsync("bob@alpha.test", Message(carrierId, new Multipart("mixed") { new TextPart("plain") { Text = "Could not be delivered to: <x@carrier.test>" }, new MessagePart { Message = original } }), "Junk");

        var session = await rig.Get<IMailboxReader>().OpenAsync(Bob, new MailboxCredentials("bob@alpha.test", "bob-pw"), default);
        await using (session)
        {
            await session.OpenFolderAsync(FolderRole.Junk, default);
            var all = await session.FetchHeadersAfterAsync(0, 5000, default);
            Assert.False(Assert.Single(all, h => h.Headers[HeaderId.MessageId] == $"<{plainId}>").CarriesMessage);
            var carrier = Assert.Single(all, h => h.Headers[HeaderId.MessageId] == $"<{carrierId}>");
            Assert.True(carrier.CarriesMessage);
            Assert.True(MessageClassifier.NeedsBody(carrier.Headers, carriesMessage: carrier.CarriesMessage));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Open_WrongPassword_ReportedAsCredentialsRefused()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var refused = await Assert.ThrowsAsync<MailboxUnreachableException>(() =>
            rig.Get<IMailboxReader>().OpenAsync(Bob, new MailboxCredentials("bob@alpha.test", "nope"), default));
        Assert.True(refused.CredentialsRefused);
        Assert.IsType<MailKit.Security.AuthenticationException>(refused.InnerException);
    }

    [Fact(Timeout = 30_000)]
    public async Task Open_NothingListening_ReportedAsUnreachable()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        var port = LoopbackPorts.Free();
        var refused = await Assert.ThrowsAsync<MailboxUnreachableException>(() =>
            rig.Get<IMailboxReader>().OpenAsync(Bob with { Imap = Bob.Imap with { Port = port } }, new MailboxCredentials("bob@alpha.test", "bob-pw"), default));
        Assert.False(refused.CredentialsRefused);
    }
}
