using EmailInfra.Core;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Testing;

/// <summary>
/// The Core and infrastructure services wired to the rig, isolated by a fresh table/queue name prefix and secret folder,
/// so tests that share the one rig of a run don't see each other's rows.
/// </summary>
public sealed class RigServices : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public RigServices(IDictionary<string, string?>? overrides = null, string? prefix = null)
    {
        Prefix = prefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
        SecretsDir = Path.Combine(Path.GetTempPath(), "emailinfra-tests", Prefix);
        Settings = new Dictionary<string, string?>
        {
            ["EmailInfraStorage"] = Rig.StorageConnectionString,
            ["Storage:NamePrefix"] = Prefix,
            ["Secrets:LocalPath"] = SecretsDir,
            ["MailTransport:TrustedCertificateFiles:0"] = Rig.CertificatePath,
            ["Sending:RetryBaseDelay"] = "00:00:01",
            ["Polling:Interval"] = "00:00:01",
            ["Polling:MaxMessagesPerFolder"] = "5000",
            ["Dns:Servers:0"] = $"{Rig.Host}:{Rig.DnsPort}",
            ["Sending:LimitsFile"] = Path.Combine(AppContext.BaseDirectory, "rig-limits.json"),
            ["Sending:SendingLease"] = "00:00:10",
            ["Sending:SendDeadline"] = "00:00:05",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddEmailInfraCore().AddEmailInfraInfrastructure();
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Table and queue name prefix of this instance.</summary>
    public string Prefix { get; }

    public string SecretsDir { get; }

    /// <summary>The settings these services were built from, for a second process to use the same storage.</summary>
    public Dictionary<string, string?> Settings { get; }

    public IServiceProvider Services => provider;

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    /// <summary>Registers a rig user as a mailbox (submission with STARTTLS, IMAP with STARTTLS).</summary>
    public Task<Mailbox> RegisterRigMailboxAsync(string address, string poolId = "rig", string? password = null, MailServerEndpoint? smtp = null, MailServerEndpoint? imap = null) =>
        Get<MailboxRegistry>().RegisterAsync(
            new MailboxRegistration(
                address,
                poolId,
                smtp ?? new MailServerEndpoint(Rig.Host, Rig.SubmissionPort, TlsMode.StartTls),
                imap ?? new MailServerEndpoint(Rig.Host, Rig.ImapPort, TlsMode.StartTls),
                null,
                password ?? Rig.Users[address],
                AppendToSent: true),
            CancellationToken.None);

    /// <summary>Another set of services on the same storage and secrets, as a second instance of the app would have.</summary>
    public RigServices SecondInstance() => new(Settings, Prefix) { ownsSecrets = false };

    private bool ownsSecrets = true;

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        if (ownsSecrets && Directory.Exists(SecretsDir))
        {
            Directory.Delete(SecretsDir, recursive: true);
        }
    }
}

/// <summary>Queue access as the Functions host has it.</summary>
public static class RigQueues
{
    /// <summary>Takes the next visible message off a real queue and deletes it, as the host does with a message it handled.</summary>
    public static async Task<string> ReceiveAsync(RigServices rig, string queueName)
    {
        ArgumentNullException.ThrowIfNull(rig);
        var queue = await rig.Get<EmailInfra.Infrastructure.Storage.StorageClients>().QueueAsync(queueName, default);
        var message = await Eventually.WaitAsync(
            async () => (await queue.ReceiveMessagesAsync(1)).Value.FirstOrDefault(), m => m is not null, TimeSpan.FromSeconds(15));
        Xunit.Assert.NotNull(message);
        await queue.DeleteMessageAsync(message!.MessageId, message.PopReceipt);
        return message.MessageText;
    }
}
