using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Secrets;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Infrastructure.Dns;
using EmailInfra.Infrastructure.Mail;
using EmailInfra.Infrastructure.Secrets;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmailInfra.Infrastructure;

/// <summary>Registers the adapters behind the Core's interfaces.</summary>
public static class InfrastructureServices
{
    public static IServiceCollection AddEmailInfraInfrastructure(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailTransportOptions>().BindConfiguration(MailTransportOptions.Section);
        services.AddOptions<SecretStoreOptions>().BindConfiguration(SecretStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<TableMailboxStore>();
        services.AddSingleton<IMailboxStore>(sp => sp.GetRequiredService<TableMailboxStore>());
        services.AddSingleton<IDomainStore>(sp => sp.GetRequiredService<TableMailboxStore>());
        services.AddSingleton<ISendLedger, TableSendLedger>();
        services.AddSingleton<IMetricsStore, TableMetricsStore>();
        services.AddSingleton<ISyncStateStore, TableSyncStateStore>();
        services.AddSingleton<IConnectionStates, TableConnectionStates>();
        services.AddSingleton<EmailInfra.Core.Health.IHealthStates, TableHealthStates>();
        services.AddSingleton<IStorageOutage, StorageOutage>();
        services.AddSingleton<ISuppressionList, TableSuppressionList>();
        services.AddSingleton<IJobQueue, StorageJobQueue>();
        services.AddSingleton<ICapacityCounters, TableCapacityCounters>();
        services.AddSingleton<IOutboundRequests, TableOutboundRequests>();
        services.AddSingleton<IWarmupJournal, TableWarmupJournal>();
        services.AddSingleton<TableAuditHistory>();
        services.AddSingleton<IAuditHistory>(sp => sp.GetRequiredService<TableAuditHistory>());
        // every health event recorded is published to the webhooks subscribed to "health" too
        services.AddSingleton<IHealthEvents>(sp => new EmailInfra.Core.Webhooks.WebhookHealthEvents(
            sp.GetRequiredService<TableAuditHistory>(), sp.GetRequiredService<EmailInfra.Core.Webhooks.WebhookPublisher>()));
        services.AddSingleton<EmailInfra.Core.Webhooks.IWebhookStore, TableWebhookStore>();
        services.AddSingleton<EmailInfra.Core.Webhooks.IWebhookTransport, Http.HttpWebhookTransport>();
        services.AddSingleton<IDnsRecords, DnsClientRecords>();
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.Section);
        services.AddSingleton<IMailRouteResolver, DnsMailRouteResolver>();
        services.AddSingleton<MailConnection>();
        services.AddSingleton<MailKitMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<MailKitMailSender>());
        services.AddSingleton<IMailboxReader, MailKitMailboxReader>();
        services.AddSingleton<IMailboxConnectionTester, MailKitConnectionTester>();
        services.AddOptions<EmailInfra.Core.Api.ApiOptions>().BindConfiguration(EmailInfra.Core.Api.ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Http.HttpAdminApi>();
        services.AddSingleton<ISecretStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value;
            return options.KeyVaultUri is { } uri
                ? new SecretCache(new KeyVaultSecretStore(new SecretClient(uri, KeyVaultCredential(options))), sp.GetRequiredService<TimeProvider>(), options)
                : new LocalSecretStore(options.LocalPath);
        });
        return services;
    }

    /// <summary>
    /// The app's user-assigned managed identity, by its client id; without one (a developer's machine pointed at a vault),
    /// the developer's own Azure CLI or Visual Studio sign-in.
    /// </summary>
    private static Azure.Core.TokenCredential KeyVaultCredential(SecretStoreOptions options)
    {
        var clientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID") : options.ManagedIdentityClientId;
        return string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeManagedIdentityCredential = true })
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
