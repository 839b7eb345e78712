using System.Reflection;
using System.Text.Json;
using Cronos;
using EmailInfra.Core.Jobs;
using EmailInfra.Functions.Queues;
using EmailInfra.Functions.Timers;
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
    [InlineData(nameof(SendEmailFunction.SendEmail), QueueNames.SendJobs)]
    [InlineData(nameof(PollMailboxFunction.PollMailbox), QueueNames.PollJobs)]
    [InlineData(nameof(DispatchOutboundFunction.DispatchOutbound), QueueNames.OutboundJobs)]
    public void QueueFunctions_BindTheCoreQueueNames_OnTheStorageConnection(string function, string queue)
    {
        var trigger = Trigger(function);
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(queue, trigger.GetProperty("queueName").GetString());
        Assert.Equal(StorageOptions.ConnectionName, trigger.GetProperty("connection").GetString());
        Assert.True(Settings.TryGetProperty(StorageOptions.ConnectionName, out _), "local.settings.json.example lacks the connection setting");
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
    public void EveryFunction_EntryPointIsAPublicMethodOfTheAssembly()
    {
        var assembly = typeof(SendEmailFunction).Assembly;
        Assert.Equal(4, Functions.Length);
        foreach (var f in Functions)
        {
            var entry = f.GetProperty("entryPoint").GetString()!;
            var dot = entry.LastIndexOf('.');
            var type = assembly.GetType(entry[..dot]);
            Assert.NotNull(type);
            Assert.NotNull(type!.GetMethod(entry[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance));
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
