using Notifier.Cli;
using Notifier.Contacts;
using Notifier.Hosting;
using Notifier.Probing;

// Command-line verbs (probe, …) share this binary with the service.
if (CliApp.IsVerb(args)) return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddHosting();
builder.AddProbing();
builder.AddContacts();

var app = builder.Build();
app.MapHosting();
await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
