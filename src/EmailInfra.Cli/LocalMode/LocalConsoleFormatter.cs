using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// The console of `emailinfra run`: by default one short line per event an operator watches (a send, a bounce, a placement,
/// a reply, a health change, a day planned or summarised, the status line) and every warning and error; with --verbose,
/// every entry the log levels let through, with its category. Framework entries (Kestrel, Durable Task, the Azure SDK) show
/// only when they warn.
/// </summary>
public sealed class LocalConsoleFormatter(IOptionsMonitor<LocalConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "emailinfra";

    /// <summary>The Information entries of EmailInfra's own categories that the quiet console shows, by event id.</summary>
    private static readonly FrozenDictionary<int, string> Shown = new Dictionary<int, string>
    {
        [1005] = "sent",
        [1101] = "outbound",
        [2002] = "poll",
        [2006] = "bounce",
        [2007] = "placement",
        [2012] = "imap",
        [2015] = "complaint",
        [2016] = "reply",
        [2017] = "reply",
        [2018] = "rescue",
        [3001] = "day",
        [3002] = "day",
        [3003] = "warm-up",
        [3004] = "summary",
        [7101] = "api",
        [7102] = "api",
        [9006] = "azurite",
        [9007] = "running",
        [9009] = "storage",
        [9010] = "status",
        [9011] = "demo",
    }.ToFrozenDictionary();

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var verbose = options.CurrentValue.Verbose;
        var ours = logEntry.Category.StartsWith("EmailInfra", StringComparison.Ordinal);
        string tag;
        if (logEntry.LogLevel >= LogLevel.Warning)
        {
            tag = logEntry.LogLevel == LogLevel.Warning ? "warn" : "error";
        }
        else if (ours && Shown.TryGetValue(logEntry.EventId.Id, out var shown) && (verbose || !Idle(logEntry)))
        {
            tag = shown;
        }
        else if (verbose)
        {
            tag = logEntry.LogLevel.ToString().ToLowerInvariant();
        }
        else
        {
            return;
        }

        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(tag.PadRight(10));
        textWriter.Write(message);
        if (verbose && !ours)
        {
            textWriter.Write(" [" + logEntry.Category + "]");
        }

        if (logEntry.Exception is { } ex)
        {
            // the reason on the same line; the stack only when asked for
            textWriter.Write(verbose ? Environment.NewLine + ex : ": " + ex.GetBaseException().Message.ReplaceLineEndings(" "));
        }

        textWriter.Write(Environment.NewLine);
    }

    /// <summary>A poll that found no new mail says nothing worth a line.</summary>
    private static bool Idle<TState>(in LogEntry<TState> entry) =>
        entry.EventId.Id == 2002 && entry.State is IReadOnlyList<KeyValuePair<string, object?>> values
        && values.Any(v => v.Key == "Messages" && v.Value is 0);
}

/// <summary>Options of <see cref="LocalConsoleFormatter"/>.</summary>
public sealed class LocalConsoleFormatterOptions : ConsoleFormatterOptions
{
    public bool Verbose { get; set; }
}
