using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Secrets;
using EmailInfra.Testing;

namespace EmailInfra.Infrastructure.Tests.Secrets;

/// <summary>Registration keeps each mailbox's password under its own name, on Azurite and the local secret store.</summary>
public class MailboxSecretNamesTests
{
    private static MailboxRegistration Registration(string address, string password) => new(
        address, "rig", new MailServerEndpoint("smtp.x.com", 587, TlsMode.StartTls), new MailServerEndpoint("imap.x.com", 993, TlsMode.Implicit), null, password);

    [Fact(Timeout = 60_000)]
    public async Task AddressesThatReadAlike_EachKeepsItsOwnPassword()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var registry = rig.Get<MailboxRegistry>();
        var first = await registry.RegisterAsync(Registration("a.b@x.com", "first-password"), default);
        var second = await registry.RegisterAsync(Registration("a@b.x.com", "second-password"), default);

        var store = rig.Get<IMailboxStore>();
        var secrets = rig.Get<ISecretStore>();
        Assert.NotEqual(first.SecretName, second.SecretName);
        Assert.Equal("first-password", (await secrets.CredentialsForAsync((await store.GetAsync("rig", "a.b@x.com", default))!, default)).Password);
        Assert.Equal("second-password", (await secrets.CredentialsForAsync((await store.GetAsync("rig", "a@b.x.com", default))!, default)).Password);
    }

    [Fact(Timeout = 60_000)]
    public async Task MailboxUnderAnEarlierSecretName_KeepsWorking_MovesToItsOwnNameWhenRegisteredAgain()
    {
        Rig.Require(RigService.Azurite);
        await using var rig = new RigServices();
        var store = rig.Get<IMailboxStore>();
        var secrets = rig.Get<ISecretStore>();
        var registered = await rig.Get<MailboxRegistry>().RegisterAsync(Registration("a.b@x.com", "unused"), default);

        // as the first scheme named it: "mailbox-" and the address with '.' and '@' as '-'
        const string earlier = "mailbox-a-b-x-com";
        await secrets.SetAsync(earlier, "kept-password", default);
        await store.UpsertAsync(registered with { SecretName = earlier }, default);
        Assert.Equal("kept-password", (await secrets.CredentialsForAsync((await store.GetAsync("rig", "a.b@x.com", default))!, default)).Password);

        await rig.Get<MailboxRegistry>().RegisterAsync(Registration("a.b@x.com", "new-password"), default);
        var moved = (await store.GetAsync("rig", "a.b@x.com", default))!;
        Assert.Equal(MailboxRegistry.SecretNameFor("a.b@x.com"), moved.SecretName);
        Assert.Equal("new-password", (await secrets.CredentialsForAsync(moved, default)).Password);
    }
}
