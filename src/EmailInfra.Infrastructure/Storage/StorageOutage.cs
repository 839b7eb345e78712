using System.Net.Sockets;
using Azure;
using EmailInfra.Core.Jobs;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Tells a storage service that cannot be reached (refused, reset, timed out, 5xx) from a request it refused.</summary>
/// <remarks>
/// An outage is waited out (workers) or reported as "storage unreachable" (commands); any other error is the job's own.
/// The SDK reports a transport failure as <see cref="RequestFailedException"/> with status 0, and, once its retries
/// give up, as an <see cref="AggregateException"/> of those.
/// </remarks>
public sealed class StorageOutage : IStorageOutage
{
    public static bool IsOutage(Exception? exception) => exception switch
    {
        null => false,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsOutage),
        RequestFailedException r => r.Status is 0 or 408 or 500 or 502 or 503 or 504,
        HttpRequestException or SocketException => true,
        IOException io => io.InnerException is SocketException || IsOutage(io.InnerException),
        TimeoutException => true,
        _ => false,
    };

    /// <summary>The innermost transport message, e.g. "Connection refused (127.0.0.1:10002)".</summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var inner = exception is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : exception;
        while (inner.InnerException is not null && inner is not HttpRequestException)
        {
            inner = inner.InnerException;
        }

        return inner.Message.ReplaceLineEndings(" ").Trim();
    }

    bool IStorageOutage.IsOutage(Exception exception) => IsOutage(exception);
}
