using EmailInfra.Cli.Commands;

return await EmailInfraCommand.Build().Parse(args).InvokeAsync();
