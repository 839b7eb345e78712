using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Tests.Mailboxes;

public class EmailAddressTests
{
    [Theory]
    [InlineData("Alice@Alpha.Test", "alice@alpha.test")]
    [InlineData("  bob@beta.test ", "bob@beta.test")]
    [InlineData("first.last+tag@sub.example.com", "first.last+tag@sub.example.com")]
    public void Normalize_ValidAddress_ReturnsLowerCaseAddrSpec(string input, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("Alice <alice@alpha.test>")]
    [InlineData("a@b.test, c@d.test")]
    [InlineData("a@b.test\r\nBcc: victim@x.test")]
    [InlineData("user@localhost")]
    public void Normalize_NotAPlainAddress_ReturnsNull(string? input) =>
        Assert.Null(EmailAddress.Normalize(input));

    [Fact]
    public void SecretNameFor_Address_UsesOnlyKeyVaultSafeCharacters()
    {
        var name = MailboxRegistry.SecretNameFor("First.Last+x@Alpha.test");
        Assert.Equal("mailbox-first-last-x-alpha-test", name);
        Assert.All(name, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    [Fact]
    public void ToString_CredentialsAndRegistration_NeverShowThePassword()
    {
        var credentials = new MailboxCredentials("alice@alpha.test", "s3cret-pw");
        var registration = new MailboxRegistration(
            "alice@alpha.test", "rig", new MailServerEndpoint("h", 1, TlsMode.StartTls), new MailServerEndpoint("h", 2, TlsMode.StartTls), null, "s3cret-pw");
        Assert.DoesNotContain("s3cret-pw", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", registration.ToString(), StringComparison.Ordinal);
    }
}
