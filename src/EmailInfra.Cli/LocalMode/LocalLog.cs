using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.LocalMode;

internal static partial class LocalLog
{
    [LoggerMessage(9001, LogLevel.Error, "The worker of queue {Queue} failed; it goes on in 2 s")]
    public static partial void WorkerFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(9002, LogLevel.Error, "Message {MessageId} of {Queue} failed on try {DequeueCount}; moved to the poison queue")]
    public static partial void Poisoned(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(9003, LogLevel.Warning, "Message {MessageId} of {Queue} failed on try {DequeueCount}; will retry")]
    public static partial void WillRetry(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(9004, LogLevel.Debug, "Timer {Timer} fired")]
    public static partial void TimerFired(ILogger logger, string timer);

    [LoggerMessage(9005, LogLevel.Error, "Timer {Timer} failed")]
    public static partial void TimerFailed(ILogger logger, string timer, Exception exception);

    [LoggerMessage(9006, LogLevel.Information, "Started Azurite from {Path} (data in {DataDir})")]
    public static partial void AzuriteStarted(ILogger logger, string path, string dataDir);

    [LoggerMessage(9007, LogLevel.Information, "Local mode running: queues {Queues}; timer PollSchedule '{Schedule}'. Ctrl+C stops.")]
    public static partial void Running(ILogger logger, string queues, string schedule);

    [LoggerMessage(9008, LogLevel.Warning, "Storage unreachable ({Reason}, met by {Where}): every worker waits, and goes on when it answers")]
    public static partial void StorageDown(ILogger logger, string where, string reason);

    [LoggerMessage(9009, LogLevel.Information, "Storage answers again after {Seconds:F0} s")]
    public static partial void StorageBack(ILogger logger, double seconds);
}
