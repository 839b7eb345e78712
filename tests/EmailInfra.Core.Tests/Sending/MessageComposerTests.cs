using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using MimeKit;

namespace EmailInfra.Core.Tests.Sending;

public class MessageComposerTests
{
    private static readonly Mailbox Alice = new(
        "alice@alpha.test", "rig", new MailServerEndpoint("h", 587, TlsMode.StartTls), new MailServerEndpoint("h", 993, TlsMode.Implicit),
        "alice@alpha.test", "mailbox-alice", MailboxState.Warming, DateTimeOffset.UnixEpoch);

    private static LedgerEntry Entry(string subject = "Hello", string? inReplyTo = null) => new()
    {
        Key = new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 28), "warmup-7"),
        PoolId = "rig",
        Kind = SendKind.Warmup,
        Recipient = "carol@beta.test",
        Subject = subject,
        ScheduledAt = DateTimeOffset.UnixEpoch,
        MessageId = "abc.123@alpha.test",
        InReplyTo = inReplyTo,
    };

    [Fact]
    public void Compose_Warmup_HasAddressesIdsAndBothParts()
    {
        var message = MessageComposer.Compose(Entry(), Alice, new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal("alice@alpha.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("carol@beta.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("abc.123@alpha.test", message.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero), message.Date);
        Assert.False(string.IsNullOrWhiteSpace(message.TextBody));
        Assert.Contains("<p>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("http", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Compose_Reply_SetsInReplyToReferencesAndRe()
    {
        var message = MessageComposer.Compose(Entry(inReplyTo: "orig.1@beta.test"), Alice, DateTimeOffset.UnixEpoch);
        Assert.Equal("orig.1@beta.test", message.InReplyTo);
        Assert.Contains("orig.1@beta.test", message.References);
        Assert.StartsWith("Re: ", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_SubjectWithLineBreaks_CannotInjectHeaders()
    {
        var message = MessageComposer.Compose(Entry("Hi\r\nBcc: victim@evil.test"), Alice, DateTimeOffset.UnixEpoch);
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        var reparsed = MimeMessage.Load(new MemoryStream(stream.ToArray()));
        Assert.Empty(reparsed.Bcc);
        Assert.Null(reparsed.Headers[HeaderId.Bcc]);
    }

    [Fact]
    public void Compose_SameSendId_SameContent()
    {
        var a = MessageComposer.Compose(Entry(), Alice, DateTimeOffset.UnixEpoch);
        var b = MessageComposer.Compose(Entry(), Alice, DateTimeOffset.UnixEpoch);
        Assert.Equal(a.TextBody, b.TextBody);
    }

    [Fact]
    public void Compose_OutboundWithUnsubscribeUrl_CarriesRfc8058Headers()
    {
        var entry = Entry() with { Kind = SendKind.Outbound, Content = new OutboundContent("Hi Jane,\r\n\r\nA short note.", null, "https://example.com/u/123") };
        var message = MessageComposer.Compose(entry, Alice, DateTimeOffset.UnixEpoch);
        Assert.Equal("<https://example.com/u/123>", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("Hi Jane,\n\nA short note.", message.TextBody!.ReplaceLineEndings("\n"));
        Assert.Contains("<p>A short note.</p>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WarmupOrNoUrl_NoUnsubscribeHeaders()
    {
        var message = MessageComposer.Compose(Entry() with { Content = new OutboundContent("x", null, null) }, Alice, DateTimeOffset.UnixEpoch);
        Assert.Null(message.Headers["List-Unsubscribe"]);
        Assert.Null(MessageComposer.Compose(Entry(), Alice, DateTimeOffset.UnixEpoch).Headers["List-Unsubscribe"]);
    }

    [Fact]
    public void WarmupContent_DifferentSeeds_Vary()
    {
        var texts = Enumerable.Range(0, 50).Select(i => WarmupContent.For("send-" + i, "Alice").Text).Distinct().Count();
        Assert.True(texts > 10, $"only {texts} distinct bodies in 50 sends");
    }

    [Fact]
    public void NewMessageId_IsOnTheSendersDomain() =>
        Assert.EndsWith("@alpha.test", MessageComposer.NewMessageId("alice@alpha.test"), StringComparison.Ordinal);
}
