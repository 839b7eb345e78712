using EmailInfra.Core;
using EmailInfra.Functions;
using EmailInfra.Infrastructure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
QueueTriggerSettings.Require(builder.Configuration);
builder.Services.AddEmailInfraCore().AddEmailInfraInfrastructure();
builder.Build().Run();
