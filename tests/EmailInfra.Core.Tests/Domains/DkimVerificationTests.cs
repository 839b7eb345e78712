using System.Net;
using System.Security.Cryptography;
using System.Text;
using EmailInfra.Core.Domains.Authentication;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace EmailInfra.Core.Tests.Domains;

/// <summary>The verifier's canonicalization against RFC 6376's own example, and signatures made by another implementation (MimeKit's signer).</summary>
public class DkimVerificationTests
{
    [Fact]
    public void Canonicalization_MatchesTheExampleOfRfc6376Section345()
    {
        var message = SignedMessage.Parse(Encoding.ASCII.GetBytes("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n"));
        Assert.Equal("a:X\r\nb:Y Z\r\n", string.Concat(message.Fields.Select(f => DkimCanonicalization.Header("relaxed", f.Raw))));
        Assert.Equal(" C\r\nD E\r\n", DkimCanonicalization.Body("relaxed", message.Body));
        Assert.Equal("A: X\r\nB : Y\t\r\n\tZ  \r\n", string.Concat(message.Fields.Select(f => DkimCanonicalization.Header("simple", f.Raw))));
        Assert.Equal(" C \r\nD \t E\r\n", DkimCanonicalization.Body("simple", message.Body));
    }

    [Fact]
    public void EmptyBodies_CanonicalizeAsTheRfcSays()
    {
        Assert.Equal("\r\n", DkimCanonicalization.Body("simple", string.Empty));
        Assert.Equal(string.Empty, DkimCanonicalization.Body("relaxed", string.Empty));
        Assert.Equal("last line\r\n", DkimCanonicalization.Body("simple", "last line"));
    }

    [Fact]
    public void SignatureData_IsEmptiedWithItsWhitespace_AndNothingElse()
    {
        const string field = "DKIM-Signature: v=1; a=rsa-sha256; bh=AAA=;\r\n b=abc\r\n def; d=example.org\r\n";
        Assert.Equal("DKIM-Signature: v=1; a=rsa-sha256; bh=AAA=;\r\n b=; d=example.org", DkimCanonicalization.WithoutSignatureData(field));
    }

    [Theory]
    [InlineData(DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Simple)]
    [InlineData(DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Relaxed)]
    [InlineData(DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Simple)]
    public async Task SignedByMimeKit_VerifiesHere_AndAnEditedSubjectFails(DkimCanonicalizationAlgorithm header, DkimCanonicalizationAlgorithm body)
    {
        using var rsa = RSA.Create(2048);
        var dns = new KeyDns("mk._domainkey.example.org", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
        var signer = new DkimSigner(DotNetUtilities.GetRsaKeyPair(rsa).Private, "example.org", "mk")
        {
            HeaderCanonicalizationAlgorithm = header,
            BodyCanonicalizationAlgorithm = body,
            SignatureAlgorithm = DkimSignatureAlgorithm.RsaSha256,
        };
        var message = Message();
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date]);

        var results = await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default);
        Assert.Equal(("example.org", "mk", "pass"), (results.Single().Domain, results.Single().Selector, results.Single().Result));

        message.Subject += " (edited)";
        Assert.Equal("fail", DkimVerification.Best(await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default)));
    }

    [Fact]
    public async Task Ed25519SignatureByMimeKit_Verifies()
    {
        var generator = new Org.BouncyCastle.Crypto.Generators.Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var dns = new KeyDns("ed._domainkey.example.org", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(((Ed25519PublicKeyParameters)pair.Public).GetEncoded()));
        var message = Message();
        new DkimSigner(pair.Private, "example.org", "ed") { SignatureAlgorithm = DkimSignatureAlgorithm.Ed25519Sha256 }
            .Sign(message, [HeaderId.From, HeaderId.Subject]);

        Assert.Equal("pass", DkimVerification.Best(await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default)));
    }

    [Fact]
    public async Task Rfc8301Acceptance_RefusesSha1_AndShortKeys_WhichLegacyAccepts()
    {
        using var rsa = RSA.Create(512);
        var dns = new KeyDns("old._domainkey.example.org", "k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
        var message = Message();
        new DkimSigner(DotNetUtilities.GetRsaKeyPair(rsa).Private, "example.org", "old") { SignatureAlgorithm = DkimSignatureAlgorithm.RsaSha1 }
            .Sign(message, [HeaderId.From, HeaderId.Subject]);

        Assert.Equal("pass", DkimVerification.Best(await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Legacy, DateTimeOffset.UtcNow, default)));
        var strict = Assert.Single(await DkimVerification.VerifyAsync(message, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default));
        Assert.Equal("invalid", strict.Result);
        Assert.Contains("RFC 8301", strict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsThatDoesNotAnswer_IsTemperror_NeverPass()
    {
        using var rsa = RSA.Create(2048);
        var message = Message();
        new DkimSigner(DotNetUtilities.GetRsaKeyPair(rsa).Private, "example.org", "mk") { SignatureAlgorithm = DkimSignatureAlgorithm.RsaSha256 }
            .Sign(message, [HeaderId.From]);

        var result = Assert.Single(await DkimVerification.VerifyAsync(message, new KeyDns(null, null), DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default));
        Assert.Equal("temperror", result.Result);
    }

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse("peer@example.net"));
        message.Subject = "Quarterly   numbers";
        message.Date = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = "Hello,\r\n\r\nthe numbers  are in.\t\r\n\r\n\r\n" };
        return message;
    }

    /// <summary>One TXT record; with no name, every lookup times out.</summary>
    private sealed class KeyDns(string? name, string? record) : IDnsRecords
    {
        public Task<IReadOnlyList<string>> TxtAsync(string query, CancellationToken cancellationToken) =>
            name is null ? throw new DnsTimeoutException(query + ": timed out")
            : Task.FromResult<IReadOnlyList<string>>(query.Equals(name, StringComparison.OrdinalIgnoreCase) ? [record!] : []);

        public Task<IReadOnlyList<IPAddress>> AddressesAsync(string query, bool ipv6, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IPAddress>>([]);

        public Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<(int, string)>>([]);

        public Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<bool> ExistsAsync(string query, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
