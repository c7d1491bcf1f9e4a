using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Intake;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Tests.Inbox;

/// <summary>
/// The service's inbox, probing and data registrations on a fresh SQLite file (or a fresh PostgreSQL database of its
/// own, dropped at the end), configured for the lab.
/// </summary>
public sealed class InboxHarness : IAsyncDisposable
{
    public static readonly string TokenKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    /// <summary>The authserv-id of our receiving MX in the tests.</summary>
    public const string TrustedReceiver = "mx.desk.test";

    private readonly IHost _host;
    private readonly string _dir;
    private readonly Notifier.Tests.Hosting.TestDatabase? _database;

    private InboxHarness(IHost host, string dir, Notifier.Tests.Hosting.TestDatabase? database)
    {
        _host = host;
        _dir = dir;
        _database = database;
    }

    public IServiceProvider Services => _host.Services;

    public static async Task<InboxHarness> CreateAsync(Notifier.Tests.Lab.Lab? lab, Action<Dictionary<string, string?>>? configure = null, string user = "canary",
        string provider = DatabaseProvider.Sqlite)
    {
        var database = provider == DatabaseProvider.Postgres ? await Notifier.Tests.Hosting.TestPostgres.CreateDatabaseAsync() : null;
        var dir = Path.Combine(Path.GetTempPath(), "notifier-inbox-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dir, "notifier.db")}",
            ["Probing:CanaryDomain"] = "canary.test",
            ["Probing:AllowPrivateTargets"] = "true",
            ["Probing:TokenKey"] = TokenKey,
            ["Probing:MinIntervalPerTarget"] = "00:00:00",
            ["Probing:MinIntervalPerNetwork"] = "00:00:00",
            ["Probing:ReplyTimeout"] = "00:00:10",
            ["Probing:DkimKeyFile"] = Path.Combine(dir, "dkim.pem"),
            ["Probing:SenderDomain"] = "desk.test",
            ["Inbox:Folder"] = "INBOX",
            ["Inbox:ProcessedFolder"] = "Notifier/Processed",
            ["Inbox:UnknownFolder"] = "Notifier/Unknown",
            // The receiver whose Authentication-Results the tests' genuine replies carry (Inbox/Fixtures/reply-opt-out.eml).
            ["Inbox:TrustedReceivers:0"] = TrustedReceiver,
        };
        if (lab is not null)
        {
            var imap = lab.EndPoint("IMAP");
            settings["Inbox:Host"] = imap.Address.ToString();
            settings["Inbox:Port"] = imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Inbox:Tls"] = "None";
            settings["Inbox:User"] = user == "canary" ? lab["NOTIFIER_LAB_IMAP_USER"] : lab["NOTIFIER_LAB_DESK_IMAP_USER"];
            settings["Inbox:Password"] = user == "canary" ? lab["NOTIFIER_LAB_IMAP_PASSWORD"] : lab["NOTIFIER_LAB_DESK_IMAP_PASSWORD"];
        }
        foreach (var (k, v) in database?.Settings ?? new Dictionary<string, string?>()) settings[k] = v;
        configure?.Invoke(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddData();
        builder.AddProbing();
        builder.AddIntake();
        builder.AddCases();
        builder.AddInbox();
        // Not the whole of AddJobs (no Hangfire server): what AddCases' jobs use of it. No AddContacts: Probing's DNS client is kept.
        builder.Services.AddOptions<JobsOptions>();
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotifierDb>().Database.MigrateAsync();
        }
        return new InboxHarness(host, dir, database);
    }

    public AsyncServiceScope Scope() => _host.Services.CreateAsyncScope();

    /// <summary>Opens a case for the end point with one queued probe, as the dispatcher would.</summary>
    public async Task<(int CaseId, int ProbeId)> OpenCaseAsync(System.Net.IPEndPoint ep, ProbeMode mode = ProbeMode.Quick)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var c = CaseWorkflow.Open(ep.Address.ToString(), ep.Port, ep.ToString(), "test", null, "test", now);
        var p = CaseWorkflow.QueueProbe(c, mode, now);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return (c.Id, p.Id);
    }

    public async Task<int> PollAsync(Action<InboxPollJob, InboxProcessor>? hooks = null)
    {
        await using var scope = Scope();
        var job = scope.ServiceProvider.GetRequiredService<InboxPollJob>();
        hooks?.Invoke(job, scope.ServiceProvider.GetRequiredService<InboxProcessor>());
        return await job.RunAsync(CancellationToken.None);
    }

    /// <summary>Polls until <paramref name="found"/> holds or the time is up.</summary>
    public async Task<T?> PollUntilAsync<T>(Func<NotifierDb, Task<T?>> found, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            await PollAsync();
            await using var scope = Scope();
            var value = await found(scope.ServiceProvider.GetRequiredService<NotifierDb>());
            if (value is not null || DateTime.UtcNow > deadline) return value;
            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null) await _database.DisposeAsync();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the OS.
        }
    }
}
