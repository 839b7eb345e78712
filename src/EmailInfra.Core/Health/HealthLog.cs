using Microsoft.Extensions.Logging;

namespace EmailInfra.Core.Health;

internal static partial class HealthLog
{
    [LoggerMessage(6001, LogLevel.Warning, "Health of {Scope}: {From} -> {To} by {Rule}: {Evidence}")]
    public static partial void Transition(ILogger logger, string scope, string from, string to, string rule, string evidence);

    [LoggerMessage(6002, LogLevel.Warning, "Health of {Scope} set to {To} by operator {Actor}: {Note}")]
    public static partial void Overridden(ILogger logger, string scope, string to, string actor, string note);

    [LoggerMessage(6003, LogLevel.Information, "Health evaluated: {Scopes} scopes, {Changed} changed, {Mailboxes} mailbox states updated")]
    public static partial void Evaluated(ILogger logger, int scopes, int changed, int mailboxes);

    [LoggerMessage(6004, LogLevel.Warning, "Pool {Pool} towards {Provider}: {Change}")]
    public static partial void ProviderThrottle(ILogger logger, string pool, string provider, string change);
}
