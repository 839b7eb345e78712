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
    public void SecretNameFor_Address_ReadableAndOnlyKeyVaultSafeCharacters()
    {
        var name = MailboxRegistry.SecretNameFor("First.Last+x@Alpha.test");
        Assert.StartsWith("mailbox-first-last-x-alpha-test-", name, StringComparison.Ordinal);
        Assert.Equal(name, MailboxRegistry.SecretNameFor("first.last+x@alpha.test"));
        Assert.All(name, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    [Theory]
    [InlineData("a.b@x.com", "a@b.x.com")]
    [InlineData("a-b@x.com", "a.b@x.com")]
    [InlineData("a+b@x.com", "a_b@x.com")]
    public void SecretNameFor_AddressesThatReadAlike_GetTheirOwnNames(string one, string other) =>
        Assert.NotEqual(MailboxRegistry.SecretNameFor(one), MailboxRegistry.SecretNameFor(other));

    [Fact]
    public void SecretNameFor_LongestValidAddresses_FitKeyVaultsLimit()
    {
        // 64-octet local part and a domain filling the rest of RFC 5321's 254: distinct past the readable part
        var local = new string('l', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 61), 3)) + ".example";
        var address = $"{local}@{domain}"[..254];
        Assert.NotNull(EmailAddress.Normalize(address));
        var names = new[] { address, address[..^1] + "f", address[..^1] + "g" }.Select(MailboxRegistry.SecretNameFor).ToList();
        Assert.All(names, n => Assert.InRange(n.Length, 1, 127));
        Assert.Equal(3, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
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
