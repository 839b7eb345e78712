using EmailInfra.Cli.LocalMode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Tests;

/// <summary>The local console: quiet by default (the operator's events, warnings and errors), everything with --verbose.</summary>
public sealed class LocalConsoleFormatterTests
{
    [Theory]
    [InlineData("EmailInfra.Core.Sending.SendHandler", 1005, LogLevel.Information, 2, true, true)]     // sent
    [InlineData("EmailInfra.Core.Sending.SendHandler", 1012, LogLevel.Information, 2, false, true)]    // paced: verbose only
    [InlineData("EmailInfra.Core.Inbox.PollHandler", 2002, LogLevel.Information, 0, false, true)]      // a poll that found nothing
    [InlineData("EmailInfra.Core.Inbox.PollHandler", 2002, LogLevel.Information, 3, true, true)]       // a poll that found mail
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", 1, LogLevel.Information, 2, false, true)]  // a request log
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", 1005, LogLevel.Information, 2, false, true)] // our ids, not our category
    [InlineData("DurableTask.AzureStorage", 7, LogLevel.Warning, 2, true, true)]                        // frameworks' warnings show
    [InlineData("EmailInfra.Core.Health.HealthService", 6001, LogLevel.Warning, 2, true, true)]
    public void QuietShowsTheOperatorsEvents_VerboseShowsEverything(string category, int eventId, LogLevel level, int messages, bool quiet, bool verbose)
    {
        Assert.Equal(quiet, Write(category, eventId, level, messages, verbose: false).Length > 0);
        Assert.Equal(verbose, Write(category, eventId, level, messages, verbose: true).Length > 0);
    }

    [Fact]
    public void ALineIsTimeTagAndMessage_AFailureItsReasonOnTheSameLine()
    {
        var line = Write("EmailInfra.Core.Sending.SendHandler", 1005, LogLevel.Information, 2, verbose: false);
        Assert.Matches(@"^\d\d:\d\d:\d\d sent      message 2\r?\n$", line);

        var failed = Write("EmailInfra.Cli.LocalMode.QueueWorker", 9001, LogLevel.Error, 2, verbose: false, new InvalidOperationException("outer", new IOException("disk gone")));
        Assert.Matches(@"^\d\d:\d\d:\d\d error     message 2: disk gone\r?\n$", failed);
    }

    private static string Write(string category, int eventId, LogLevel level, int messages, bool verbose, Exception? exception = null)
    {
        var formatter = new LocalConsoleFormatter(new Monitor(new LocalConsoleFormatterOptions { Verbose = verbose }));
        IReadOnlyList<KeyValuePair<string, object?>> state = [new("Messages", messages)];
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(level, category, new EventId(eventId), state, exception, (s, _) => "message " + s[0].Value), null, writer);
        return writer.ToString();
    }

    private sealed class Monitor(LocalConsoleFormatterOptions value) : IOptionsMonitor<LocalConsoleFormatterOptions>
    {
        public LocalConsoleFormatterOptions CurrentValue => value;

        public LocalConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LocalConsoleFormatterOptions, string?> listener) => null;
    }
}
