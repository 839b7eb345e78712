using System.CommandLine;
using EmailInfra.Cli.Commands;

// Every failure a command does not handle itself ends here: one line on standard error and exit code 2 (input the
// user can correct) or 1 (a failure), chosen by the exception's type; see CommandFailure and docs/command-line.md.
try
{
    // Ctrl+C cancels the command; `run` then finishes the jobs in hand and stops its engine (the host allows 30 s), so the
    // parser must not kill the process after its default 2 s
    return await EmailInfraCommand.Build().Parse(args).InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = TimeSpan.FromSeconds(35),
    });
}
#pragma warning disable CA1031 // the process boundary: whatever escapes becomes one line and an exit code, never a stack trace
catch (Exception ex)
#pragma warning restore CA1031
{
    var (line, code) = CommandFailure.Describe(ex);
    await Console.Error.WriteLineAsync(line);
    return code;
}
