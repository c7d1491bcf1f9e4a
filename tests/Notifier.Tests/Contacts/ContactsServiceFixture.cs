using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Contacts;

/// <summary>
/// Loopback DNS and RDAP servers (their own, so this collection runs beside the library tests) and the service
/// pointed at them through <see cref="NotifierFactory"/>. Also builds small hosts with the data and contacts
/// features only, one fresh migrated SQLite file each, for tests that run the job directly.
/// </summary>
public sealed class ContactsServiceFixture : IAsyncLifetime
{
    public ContactsFixture Servers { get; } = new();

    public NotifierFactory Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Service = new NotifierFactory(Servers.Settings());
        _ = Service.Server; // start it: migrations, dispatcher
    }

    /// <summary>The service's container for a host with the data layer and contacts on a new database file.</summary>
    public async Task<DataHost> DataHostAsync(params (string Key, string Value)[] overrides)
    {
        var directory = Directory.CreateTempSubdirectory("notifier-contacts-").FullName;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddInMemoryCollection(Servers.Settings(overrides));
        builder.Configuration["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "notifier.db")}";
        builder.Configuration["Jobs:RunServer"] = "false";
        builder.AddData();
        builder.AddCases();
        builder.AddJobs();
        var host = ContactsFixture.BuildWithReferenceData(builder);
        await host.Services.MigrateDatabaseAsync();
        return new DataHost(host, directory);
    }

    /// <summary>A case as <see cref="CaseWorkflow.Confirm"/> leaves it: Confirmed, contact lookup due now.</summary>
    public static async Task<int> ConfirmedCaseAsync(IServiceProvider services, string ip, int port)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var key = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";
        var c = CaseWorkflow.Open(ip, port, key, "test", null, "test", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        CaseWorkflow.Confirm(c, probe, "confirmed", "the canary arrived from the target", now);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return c.Id;
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

public sealed class DataHost(IHost host, string directory) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public async Task<T> WithDbAsync<T>(Func<NotifierDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    public async Task WithDbAsync(Func<NotifierDb, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    /// <summary>Runs the job in its own scope, as Hangfire does.</summary>
    public async Task RunLookupAsync(int caseId)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Notifier.Cases.ContactLookupJob>().RunAsync(caseId, CancellationToken.None);
    }

    public async Task<List<CaseContact>> ContactsAsync(int caseId) =>
        await WithDbAsync(db => db.CaseContacts.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.Rank == null).ThenBy(c => c.Rank).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        await Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ContactsServiceCollection : ICollectionFixture<ContactsServiceFixture>
{
    public const string Name = "contacts service";
}
