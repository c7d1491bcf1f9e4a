using Notifier.Auth;
using Notifier.Cases;
using Notifier.Cli;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Hosting;
using Notifier.Inbox;
using Notifier.Intake;
using Notifier.Jobs;
using Notifier.Notices;
using Notifier.Pages;
using Notifier.Pages.Owner;
using Notifier.Probing;
using Notifier.ReferenceData;
using Notifier.Retention;
using Notifier.Stats;
using Notifier.Telemetry;

// Command-line verbs (probe, apikey, import, …) share this binary with the service.
if (CliApp.IsVerb(args)) return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddHosting();
builder.AddTelemetry();
builder.AddData();
builder.AddAuth();
builder.AddProbing();
builder.AddContacts();
builder.AddIntake();
builder.AddCases();
builder.AddNotices();
builder.AddInbox();
builder.AddJobs();
builder.AddRetention();
builder.AddReferenceData();
builder.AddDashboard();
builder.AddOwnerRetest();

var app = builder.Build();
await app.Services.MigrateDatabaseAsync();
await app.Services.EnsureFirstAdminAsync(Console.Out);
app.Services.PrepareProbingKeys();
app.Services.PrepareNoticeKeys();
app.UseHosting();
app.UseOwnerCulture();
app.MapHosting();
app.MapTelemetry();
app.MapCasesApi();
app.MapExportApi();
app.MapContactsApi();
app.MapNoticesApi();
app.MapInboxApi();
app.MapStatsApi();
app.MapDashboard();
await app.Services.StartCasesAsync();
app.Services.ScheduleInbox();
app.Services.ScheduleRetention();
app.Services.StartReferenceData();
await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
