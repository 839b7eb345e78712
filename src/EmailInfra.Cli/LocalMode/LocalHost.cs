using EmailInfra.Core;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Infrastructure;
using EmailInfra.Infrastructure.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.LocalMode;

/// <summary>The single-machine host: the Functions app's jobs in one process, on the same Core services and schedules.</summary>
public static class LocalHost
{
    /// <summary>Services for one-shot commands (no workers).</summary>
    public static IHost BuildServices(IConfiguration configuration) => Build(configuration, workers: false);

    /// <summary>The long-running host: queue workers for send and poll jobs, and the poll timer.</summary>
    public static IHost BuildRunner(IConfiguration configuration) => Build(configuration, workers: true);

    private static IHost Build(IConfiguration configuration, bool workers)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole(o => o.FormatterName = LocalConsoleFormatter.Name)
            .AddConsoleFormatter<LocalConsoleFormatter, LocalConsoleFormatterOptions>(o => o.Verbose = configuration.GetValue<bool>("Local:Verbose"));
        builder.Services.AddEmailInfraCore().AddEmailInfraInfrastructure();
        builder.Services.AddOptions<LocalQueueOptions>().BindConfiguration(LocalQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<StorageAvailability>();
        builder.Services.AddSingleton<LocalActivity>();
        if (workers)
        {
            AddQueue(builder.Services, QueueNames.SendJobs, sp => sp.GetRequiredService<SendHandler>().HandleAsync);
            AddQueue(builder.Services, QueueNames.OutboundJobs, sp =>
            {
                var dispatcher = sp.GetRequiredService<OutboundDispatcher>();
                return (message, _, ct) => dispatcher.HandleAsync(message, ct);
            });
            AddQueue(builder.Services, QueueNames.PollJobs, sp =>
            {
                var poll = sp.GetRequiredService<PollHandler>();
                return (message, _, ct) => poll.HandleAsync(message, ct);
            });
            AddQueue(builder.Services, QueueNames.WebhookJobs, sp =>
            {
                var webhooks = sp.GetRequiredService<Core.Webhooks.WebhookDispatcher>();
                return (message, _, ct) => webhooks.HandleAsync(message, ct);
            });
            AddTimer(builder.Services, configuration, TimerSchedules.PollSchedule, (sp, ct) => sp.GetRequiredService<PollFanout>().RunAsync(ct));

            AddTimer(builder.Services, configuration, TimerSchedules.SweepSchedule, (sp, ct) => sp.GetRequiredService<StrandedSends>().SweepAsync(ct));

            AddTimer(builder.Services, configuration, TimerSchedules.AuditSchedule, (sp, ct) =>
                sp.GetRequiredService<Core.Domains.Authentication.DomainAuditService>().AuditAllAsync(
                    sp.GetRequiredService<IOptions<Core.Domains.Authentication.AuditOptions>>().Value.Selectors.ToList(), ct));

            AddTimer(builder.Services, configuration, TimerSchedules.HealthSchedule, (sp, ct) => sp.GetRequiredService<Core.Health.HealthService>().EvaluateAllAsync(ct));

            // Warm-up days run on Durable Task Core with the Azure Storage backend against local mode's storage: their history
            // survives a restart, and a day running when the process stopped continues where it was.
            builder.Services.AddSingleton<LocalDurableEngine>();
            builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<LocalDurableEngine>());
            builder.Services.AddSingleton(sp => sp.GetRequiredService<LocalDurableEngine>().Client);
            AddTimer(builder.Services, configuration, TimerSchedules.WarmupSchedule, (sp, ct) =>
                sp.GetRequiredService<WarmupDayStarter>().StartDueAsync(sp.GetRequiredService<DurableTaskClient>(), ct));

            builder.Services.AddHostedService<LocalStatusLine>();
            builder.Services.AddSingleton<LocalDemo>();
            builder.Services.AddSingleton<LocalApiServer>();
            builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<LocalApiServer>());
        }

        return builder.Build();
    }

    private static void AddTimer(IServiceCollection services, IConfiguration configuration, string setting, Func<IServiceProvider, CancellationToken, Task> run)
    {
        var schedule = configuration[setting] ?? throw new InvalidOperationException($"{setting} is not set.");
        TimerJob.Parse(setting, schedule);
        services.AddSingleton<IHostedService>(sp => new TimerJob(
            setting,
            schedule,
            ct => run(sp, ct),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<StorageAvailability>(),
            sp.GetRequiredService<ILogger<TimerJob>>()));
    }

    private static void AddQueue(IServiceCollection services, string queue, Func<IServiceProvider, Func<string, long, CancellationToken, Task>> handler) =>
        services.AddSingleton<IHostedService>(sp =>
        {
            var handle = handler(sp);
            var activity = sp.GetRequiredService<LocalActivity>();
            return new QueueWorker(
                queue,
                async (message, dequeueCount, ct) =>
                {
                    await handle(message, dequeueCount, ct).ConfigureAwait(false);
                    activity.Handled(queue);
                },
                sp.GetRequiredService<StorageClients>(),
                sp.GetRequiredService<IOptions<LocalQueueOptions>>(),
                sp.GetRequiredService<StorageAvailability>(),
                sp.GetRequiredService<ILogger<QueueWorker>>());
        });
}
