using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Sending;
using EmailInfra.Testing;
using MailKit.Search;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace EmailInfra.Functions.Tests.Sending;

/// <summary>
/// DKIM end to end: SendEmail submits to Postfix, OpenDKIM signs with the rig selector, Dovecot delivers, and the
/// signature of the mail as received verifies against the key Knot publishes; the audit reports it.
/// </summary>
public class DkimSigningTests
{
    private const string Sender = "w04@alpha.test";
    private const string Recipient = "w05@beta.test";

    [Fact(Timeout = 120_000)]
    public async Task SentMail_AsReceived_CarriesTheDomainsSignature_WhichVerifies_AndTamperingBreaksIt()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        await using var rig = new RigServices();
        await rig.RegisterRigMailboxAsync(Sender, "dkim");
        await rig.RegisterRigMailboxAsync(Recipient, "dkim");
        var sent = await FunctionDriver.SendAsync(rig, new SendRequest(Sender, Recipient, SendKind.Warmup));
        var received = await RigMail.WaitForAsync(Recipient, SearchQuery.HeaderContains("Message-ID", sent.MessageId!));
        Assert.NotNull(received);

        var dns = rig.Get<IDnsRecords>();
        var results = await DkimVerification.VerifyAsync(received!, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default);
        var signature = Assert.Single(results);
        Assert.Equal(("alpha.test", "rig", "pass"), (signature.Domain, signature.Selector, signature.Result));

        // MimeKit's verifier, an independent implementation, agrees with the key Knot serves.
        var mimeKit = new DkimVerifier(new RigKeys(dns));
        Assert.True(await mimeKit.VerifyAsync(received!, received!.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)]));

        var audit = await rig.Get<DomainAuditor>().AuditAsync(new AuditRequest("alpha.test", [], ["rig"], [received!]), default);
        Assert.Equal(AuditStatus.Pass, Assert.Single(audit.Findings, f => f.Check == "DKIM mail 1").Status);

        // one changed word in the body: the body hash no longer matches
        var tampered = await ReloadAsync(received!);
        ((TextPart)tampered.BodyParts.OfType<TextPart>().First()).Text += " (edited in transit)";
        Assert.Equal("fail", DkimVerification.Best(await DkimVerification.VerifyAsync(tampered, dns, DkimAcceptance.Rfc8301, DateTimeOffset.UtcNow, default)));

        // mail of another domain proves nothing for this one
        var other = await rig.Get<DomainAuditor>().AuditAsync(new AuditRequest("beta.test", [], ["rig"], [received!]), default);
        Assert.Equal(AuditStatus.Fail, Assert.Single(other.Findings, f => f.Check == "DKIM mail 1").Status);
    }

    /// <summary>MimeKit's key locator over the rig's DNS.</summary>
    private sealed class RigKeys(IDnsRecords dns) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(string.Concat(await dns.TxtAsync($"{selector}._domainkey.{domain}", cancellationToken)));
    }

    private static async Task<MimeMessage> ReloadAsync(MimeMessage message)
    {
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        return await MimeMessage.LoadAsync(stream);
    }
}
