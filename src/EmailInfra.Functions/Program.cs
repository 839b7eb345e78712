using EmailInfra.Core;
using EmailInfra.Infrastructure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddEmailInfraCore().AddEmailInfraInfrastructure();
builder.Build().Run();
