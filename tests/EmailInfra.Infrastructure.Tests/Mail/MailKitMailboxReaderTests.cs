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

    [Fact(Timeout = 30_000)]
    public async Task Open_WrongPassword_Throws()
    {
        Rig.Require(RigService.Mail);
        await using var rig = new RigServices();
        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() =>
            rig.Get<IMailboxReader>().OpenAsync(Bob, new MailboxCredentials("bob@alpha.test", "nope"), default));
    }
}
