using EmailInfra.Core;
using EmailInfra.Functions;
using EmailInfra.Infrastructure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP functions get ASP.NET Core's HttpContext, which the admin API adapter shares with local mode's Kestrel
builder.ConfigureFunctionsWebApplication();
QueueTriggerSettings.Require(builder.Configuration);
builder.Services.AddEmailInfraCore().AddEmailInfraInfrastructure();
builder.Build().Run();
