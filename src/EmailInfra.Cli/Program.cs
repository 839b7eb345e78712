using System.CommandLine;
using EmailInfra.Cli.Commands;
using EmailInfra.Cli.LocalMode;

// A settings file the command cannot use is the user's input: a clear error and exit code 2, like any other bad
// argument; anything else is reported as System.CommandLine's own handler does.
try
{
    return await EmailInfraCommand.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (LocalConfigurationException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return 2;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync("Unhandled exception: " + ex);
    return 1;
}
