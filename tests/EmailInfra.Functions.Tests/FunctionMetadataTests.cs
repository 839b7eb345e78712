using System.Reflection;
using System.Text.Json;
using Cronos;
using Microsoft.Extensions.Configuration;
using EmailInfra.Core.Jobs;
using EmailInfra.Functions.Queues;
using EmailInfra.Core.Warmup;
using EmailInfra.Functions.Timers;
using EmailInfra.Functions.Warmup;
using EmailInfra.Infrastructure.Storage;

namespace EmailInfra.Functions.Tests;

/// <summary>The trigger wiring as the Functions host will read it: the build's functions.metadata.</summary>
public class FunctionMetadataTests
{
    private static readonly JsonElement[] Functions = Load();

    private static readonly JsonElement Settings = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.json.example"))).RootElement.GetProperty("Values");

    private static JsonElement[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), "functions.metadata was not generated next to the tests");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    }

    private static JsonElement Function(string name) => Assert.Single(Functions, f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) => Assert.Single(Function(name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Theory]
    [InlineData(nameof(SendEmailFunction.SendEmail), QueueNames.SendJobs, QueueNames.SendJobsSetting)]
    [InlineData(nameof(PollMailboxFunction.PollMailbox), QueueNames.PollJobs, QueueNames.PollJobsSetting)]
    [InlineData(nameof(DispatchOutboundFunction.DispatchOutbound), QueueNames.OutboundJobs, QueueNames.OutboundJobsSetting)]
    [InlineData(nameof(DeliverWebhookFunction.DeliverWebhook), QueueNames.WebhookJobs, QueueNames.WebhookJobsSetting)]
    public void QueueFunctions_BindTheQueueSetting_WhichTheProducersWriteTo_EvenWithANamePrefix(string function, string queue, string setting)
    {
        var trigger = Trigger(function);
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal($"%{setting}%", trigger.GetProperty("queueName").GetString());
        Assert.Equal(StorageOptions.ConnectionName, trigger.GetProperty("connection").GetString());
        Assert.True(Settings.TryGetProperty(StorageOptions.ConnectionName, out _), "local.settings.json.example lacks the connection setting");
        var bound = Settings.GetProperty(setting).GetString();
        Assert.Equal(queue, bound);

        // the producer side, configured as the app is (the example's settings) plus a name prefix: it writes where the trigger listens
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageOptions.ConnectionName] = "UseDevelopmentStorage=true",
            [setting] = bound,
        }).Build();
        var producer = new StorageClients(configuration, Microsoft.Extensions.Options.Options.Create(new StorageOptions { NamePrefix = "prod" }));
        Assert.Equal(bound, producer.QueueName(queue));
        Assert.Equal(bound + "-poison", producer.QueueName(QueueNames.PoisonOf(queue)));
        QueueTriggerSettings.Require(new ConfigurationBuilder().AddInMemoryCollection(
            QueueTriggerSettings.All.Select(s => new KeyValuePair<string, string?>(s, Settings.GetProperty(s).GetString()))).Build());

        // and infra sets the same setting to the same name
        var bicep = File.ReadAllText(Path.Combine(RepoRoot(), "infra", "app", "api.bicep"));
        Assert.Contains($"{{ name: '{setting}', value: '{queue}' }}", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueTriggerSettings_Missing_RefusedNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => QueueTriggerSettings.Require(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [QueueNames.SendJobsSetting] = "send-jobs" }).Build()));
        Assert.Contains(QueueNames.PollJobsSetting, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(QueueNames.SendJobsSetting + ",", ex.Message, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmailInfra.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void SchedulePolls_TimerReadsPollSchedule_WhichTheExampleSetsToAValidNcrontab()
    {
        var trigger = Trigger(nameof(SchedulePollsFunction.SchedulePolls));
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal($"%{TimerSchedules.PollSchedule}%", trigger.GetProperty("schedule").GetString());
        var schedule = Settings.GetProperty(TimerSchedules.PollSchedule).GetString()!;
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void AuditDomains_TimerReadsAuditSchedule_WhichTheExampleSetsToAValidNcrontab()
    {
        var trigger = Trigger(nameof(AuditDomainsFunction.AuditDomains));
        Assert.Equal($"%{TimerSchedules.AuditSchedule}%", trigger.GetProperty("schedule").GetString());
        var schedule = Settings.GetProperty(TimerSchedules.AuditSchedule).GetString()!;
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void EvaluateHealth_TimerReadsHealthSchedule_WhichTheExampleSetsToAValidNcrontab()
    {
        var trigger = Trigger(nameof(EvaluateHealthFunction.EvaluateHealth));
        Assert.Equal($"%{TimerSchedules.HealthSchedule}%", trigger.GetProperty("schedule").GetString());
        var schedule = Settings.GetProperty(TimerSchedules.HealthSchedule).GetString()!;
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void SweepStrandedSends_TimerReadsSweepSchedule_WhichTheExampleSetsToAValidNcrontab()
    {
        var trigger = Trigger(nameof(SweepStrandedSendsFunction.SweepStrandedSends));
        Assert.Equal($"%{TimerSchedules.SweepSchedule}%", trigger.GetProperty("schedule").GetString());
        var schedule = Settings.GetProperty(TimerSchedules.SweepSchedule).GetString()!;
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void StartWarmupDays_TimerReadsWarmupSchedule_AndGetsADurableClient()
    {
        var function = Functions.Single(f => f.GetProperty("name").GetString() == nameof(WarmupFunctions.StartWarmupDays));
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = bindings.Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal($"%{TimerSchedules.WarmupSchedule}%", trigger.GetProperty("schedule").GetString());
        Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "durableClient");
        var schedule = Settings.GetProperty(TimerSchedules.WarmupSchedule).GetString()!;
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void WarmupDay_OrchestratorAndEveryActivityItCalls_AreWiredUnderTheNamesTheOrchestratorUses()
    {
        Assert.Equal("orchestrationTrigger", Trigger(nameof(WarmupDayOrchestrator)).GetProperty("type").GetString());

        // The orchestrator calls activities by these names (nameof the Core activity classes): each must be an activity function.
        foreach (var activity in new[] { nameof(PlanWarmupDay), nameof(EnqueueWarmupSends), nameof(ControlWarmupSends), nameof(SummariseWarmupDay) })
        {
            Assert.Equal("activityTrigger", Trigger(activity).GetProperty("type").GetString());
        }

        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"))).RootElement;
        var hub = host.GetProperty("extensions").GetProperty("durableTask");
        Assert.False(string.IsNullOrEmpty(hub.GetProperty("hubName").GetString()));
    }

    [Fact]
    public void EveryFunction_EntryPointIsAPublicMethodOfTheAssembly()
    {
        var assembly = typeof(SendEmailFunction).Assembly;
        Assert.Equal(14 + Api.AdminApiWiringTests.Routes.Count, Functions.Length); // the jobs, and one HTTP function per admin API route
        foreach (var f in Functions)
        {
            var entry = f.GetProperty("entryPoint").GetString()!;
            var dot = entry.LastIndexOf('.');
            var type = assembly.GetType(entry[..dot]);
            Assert.NotNull(type);
            Assert.NotNull(type!.GetMethod(entry[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static));
        }
    }

    [Fact]
    public void HostJson_ShipsWithTheAppAndMatchesTheLocalQueueSemantics()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"))).RootElement;
        var queues = host.GetProperty("extensions").GetProperty("queues");
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
    }
}
