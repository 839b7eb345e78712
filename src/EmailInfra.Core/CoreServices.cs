using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Health;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core;

/// <summary>Registers the Core services; adapters come from the infrastructure project.</summary>
public static class CoreServices
{
    public static IServiceCollection AddEmailInfraCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.SendDeadline * 2 <= o.SendingLease, "Sending:SendDeadline must be at most half of Sending:SendingLease (a send still in flight must never outlive its lease)")
            .ValidateOnStart();
        services.AddOptions<PollingOptions>().BindConfiguration(PollingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RuleFileValidation>();
        services.AddSingleton<IValidateOptions<SendingOptions>>(sp => sp.GetRequiredService<RuleFileValidation>());
        services.AddSingleton<IValidateOptions<PollingOptions>>(sp => sp.GetRequiredService<RuleFileValidation>());
        services.AddSingleton(sp => sp.GetRequiredService<RuleFileValidation>().BounceRulesFor(sp.GetRequiredService<IOptions<PollingOptions>>().Value));
        services.AddOptions<DomainOptions>().BindConfiguration(DomainOptions.Section);
        services.AddSingleton<MailboxRegistry>();
        services.AddSingleton<MailboxOnboarding>();
        services.AddSingleton<SendScheduler>();
        services.AddSingleton(sp => sp.GetRequiredService<RuleFileValidation>().SendingLimitsFor(sp.GetRequiredService<IOptions<SendingOptions>>().Value));
        services.AddSingleton<SendCapacity>();
        services.AddSingleton<RecipientCheck>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<StrandedSends>();
        services.AddSingleton<OutboundDispatcher>();
        services.AddSingleton<PollHandler>();
        services.AddSingleton<PollFanout>();
        services.AddOptions<WarmupOptions>().BindConfiguration(WarmupOptions.Section).Validate(o => o.Validate() is not null).ValidateOnStart();
        services.AddSingleton<WarmupPolicies>();
        services.AddSingleton<SendingCalendar>();
        services.AddSingleton<WarmupDayService>();
        services.AddSingleton<WarmupDayStarter>();
        services.AddSingleton<WarmupControl>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddSingleton(sp => new DomainAuditor(sp.GetRequiredService<IDnsRecords>(), sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DomainAuditService>();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>>(sp => sp.GetRequiredService<RuleFileValidation>());
        services.AddSingleton(sp => sp.GetRequiredService<RuleFileValidation>().HealthRulesFor(sp.GetRequiredService<IOptions<HealthOptions>>().Value));
        services.AddSingleton<HealthService>();
        services.AddOptions<Webhooks.WebhookOptions>().BindConfiguration(Webhooks.WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Webhooks.WebhookPublisher>();
        services.AddSingleton<Webhooks.WebhookDispatcher>();
        services.AddSingleton<Api.MailboxCsvImport>();
        foreach (var area in new[]
        {
            typeof(Api.SystemEndpoints), typeof(Api.DomainEndpoints), typeof(Api.PoolEndpoints), typeof(Api.MailboxEndpoints), typeof(Api.WarmupEndpoints),
            typeof(Api.OutboundEndpoints), typeof(Api.HealthEndpoints), typeof(Api.MetricEndpoints), typeof(Api.SuppressionEndpoints), typeof(Api.WebhookEndpoints), typeof(Api.OverviewEndpoints),
        })
        {
            services.AddSingleton(typeof(Api.IApiEndpoints), area);
        }

        services.AddSingleton<Api.AdminApi>();
        return services;
    }
}
