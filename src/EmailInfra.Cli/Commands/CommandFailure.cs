using System.Security.Cryptography;
using EmailInfra.Cli.LocalMode;
using EmailInfra.Core;
using EmailInfra.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Commands;

/// <summary>
/// What the user sees when a command throws: one line on standard error and an exit code, 2 for input the user can
/// correct (arguments, settings, files named on the command line), 1 for a failure (storage down, a damaged key).
/// </summary>
/// <remarks>
/// A stack trace tells an operator nothing they can act on; the exception type decides the code, so every command gets
/// the same answer for the same kind of problem without catching anything itself.
/// </remarks>
public static class CommandFailure
{
    public const int BadInput = 2;

    public const int Failed = 1;

    /// <summary>The line (without a trailing newline) and the exit code for <paramref name="exception"/>.</summary>
    public static (string Line, int ExitCode) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            InvalidRequestException e => ("error: " + e.Message, BadInput),
            Core.Domains.PrimaryDomainException e => ("error: " + e.Message + " (--force)", BadInput),
            LocalConfigurationException e => ("error: " + e.Message, BadInput),
            OptionsValidationException e => ("error: settings: " + string.Join("; ", e.Failures), BadInput),
            // the configuration binder's answer to a value of the wrong type, e.g. Warmup__Ramp__Target=abc
            InvalidOperationException { InnerException: ArgumentException or FormatException or OverflowException } e => ("error: settings: " + OneLine(e.Message), BadInput),
            FileNotFoundException e => ($"error: {e.FileName ?? e.Message}: no such file", BadInput),
            DirectoryNotFoundException e => ("error: " + OneLine(e.Message), BadInput),
            _ when StorageOutage.IsOutage(exception) => (
                $"error: storage unreachable ({StorageOutage.Reason(exception)}); start Azurite or set EmailInfraStorage to a reachable account",
                Failed),
            CryptographicException e => (
                $"error: the local secret store's key cannot be used ({OneLine(e.Message)}); restore store.key from a backup, or re-register the mailboxes with a new store (Secrets:LocalPath)",
                Failed),
            InvalidOperationException e => ("error: " + OneLine(e.Message), Failed),
            UnauthorizedAccessException e => ("error: " + OneLine(e.Message), Failed),
            IOException e => ("error: " + OneLine(e.Message), Failed),
            _ => ($"error: {exception.GetType().Name}: {OneLine(exception.Message)}", Failed),
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
