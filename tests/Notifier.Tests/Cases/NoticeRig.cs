using Hangfire;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// The notice work in process: the service's data, probing, cases and notices registrations on a fresh SQLite file (or
/// a fresh PostgreSQL database, <see cref="CreateAsync(string, ValueTuple{string, string}[])"/>), fake time, and a
/// sender that records what it was handed and answers as it is told.
/// </summary>
public sealed class NoticeRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Accepts, refuses or defers each notice as <see cref="Answer"/> says, and keeps what it was given.</summary>
    public sealed class RecordingSender : INoticeSender
    {
        public string Name => "test";

        public List<(MimeMessage Message, string ReturnPath, string Recipient)> Sent { get; } = [];

        public Func<string, NoticeDelivery> Answer { get; set; } = _ => new NoticeDelivery(NoticeDeliveryOutcome.Accepted, "250 2.0.0 Ok: queued");

        public Task<NoticeDelivery> SendAsync(MimeMessage message, string returnPath, string recipient, CancellationToken cancellationToken)
        {
            // Locked: two copies of a job may hand over at once (the claim tests).
            lock (Sent) Sent.Add((message, returnPath, recipient));
            return Task.FromResult(Answer(recipient));
        }
    }

    private readonly IHost _host;
    private readonly string _dir;
    private readonly Notifier.Tests.Hosting.TestDatabase? _database;

    private NoticeRig(IHost host, string dir, FakeTimeProvider time, RecordingSender sender, Notifier.Tests.Hosting.TestDatabase? database)
    {
        _host = host;
        _dir = dir;
        _database = database;
        Time = time;
        Sender = sender;
    }

    public FakeTimeProvider Time { get; }

    public RecordingSender Sender { get; }

    public InMemoryStorage Storage { get; } = Notifier.Tests.Jobs.TestJobStorage.Create();

    public IServiceProvider Services => _host.Services;

    public static Task<NoticeRig> CreateAsync(params (string Key, string Value)[] settings) => CreateAsync(DatabaseProvider.Sqlite, settings);

    /// <summary>A rig on <paramref name="provider"/>: SQLite in its folder, or a fresh PostgreSQL database of its own, dropped at the end.</summary>
    public static async Task<NoticeRig> CreateAsync(string provider, params (string Key, string Value)[] settings)
    {
        var database = provider == DatabaseProvider.Postgres ? await Notifier.Tests.Hosting.TestPostgres.CreateDatabaseAsync() : null;
        var dir = Path.Combine(Path.GetTempPath(), "notifier-notice-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var config = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dir, "notifier.db")}",
            ["Probing:CanaryDomain"] = "canary.test",
            ["Probing:SenderDomain"] = "desk.test",
            ["Probing:TokenKey"] = Notifier.Tests.Inbox.InboxHarness.TokenKey,
            ["Notices:DeskAddress"] = "notices@desk.test",
            ["Notices:OutboxDirectory"] = Path.Combine(dir, "outbox"),
            ["Jobs:NodeName"] = "test-node",
        };
        foreach (var (k, v) in database?.Settings ?? new Dictionary<string, string?>()) config[k] = v;
        foreach (var (k, v) in settings) config[k] = v;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddLogging();
        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddData();
        builder.AddProbing();
        builder.AddCases();
        builder.AddNotices();
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        builder.Services.AddScoped<CaseContacts>();
        var sender = new RecordingSender();
        builder.Services.AddSingleton<INoticeSender>(sender);
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotifierDb>().Database.MigrateAsync();
        }
        return new NoticeRig(host, dir, time, sender, database);
    }

    public async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    public async Task DbAsync(Func<NotifierDb, Task> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        await work(db);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A case proven by a canary (<paramref name="state"/> Confirmed, or Unconfirmed for accepts-but-drops) of
    /// <paramref name="address"/>:25, with a finished probe and these contacts ranked 1, 2, … (all active).
    /// </summary>
    public Task<int> CaseWithContactsAsync(string address, string state, params string[] contacts) =>
        DbAsync(db => SeedCaseAsync(db, Time.GetUtcNow(), address, state, contacts));

    /// <summary><see cref="CaseWithContactsAsync"/> on any database (the API tests' service).</summary>
    public static async Task<int> SeedCaseAsync(NotifierDb db, DateTimeOffset now, string address, string state, params string[] contacts)
    {
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", now);
        var p = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        var result = new ProbeResult
        {
            Target = $"{address}:25",
            Host = address,
            Address = address,
            Port = 25,
            ProbeKey = p.Key,
            Verdict = ProbeVerdict.DataAccepted,
            Reason = "test",
            Mode = ProbeMode.Quick,
            Token = "t",
            CanaryAddress = "relaytest+t@canary.test",
            Mta = "Postfix",
            Banner = "220 mx.example.org ESMTP Postfix",
            HostName = "mx.example.org",
            DataVariant = "plain",
            Variants = [new VariantResult("plain", "open", "relaytest@desk.test", "relaytest+t@canary.test", "250 2.1.0 Ok", "250 2.1.5 Ok", true, VariantOutcome.Accepted, 1)],
            AcceptedVariants = ["plain"],
            Transcript = [new TranscriptLine(now, TranscriptLine.Received, "220 mx.example.org ESMTP Postfix"),
                new TranscriptLine(now, TranscriptLine.Sent, "RCPT TO:<relaytest+t@canary.test>"),
                new TranscriptLine(now, TranscriptLine.Received, "250 2.1.5 Ok")],
            StartedAt = now,
            FinishedAt = now,
        };
        // Through the state machine (Probing → Suspected), so that Confirmed and Unconfirmed are reached as in production.
        CaseWorkflow.ProbeFinished(c, p, result, new CasesOptions(), now);
        p.Status = ProbeStatus.Done;
        p.Verdict = state == CaseState.Confirmed ? ProbeVerdict.Confirmed : ProbeVerdict.AcceptsButDrops;
        p.ResultJson = ProbeResultJson.Serialize(result);
        p.StartedAt = now;
        p.FinishedAt = now;
        if (state == CaseState.Confirmed) CaseWorkflow.Confirm(c, p, ProbeVerdict.Confirmed, "the canary arrived from the target", now);
        else CaseWorkflow.AcceptsButDrops(c, p, "no canary", now);
        // As after the contact lookup: nothing due, so a running dispatcher does not look the contacts up again.
        CaseWorkflow.NothingToConfirm(c);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        db.CaseContactLookups.Add(new CaseContactLookup { CaseId = c.Id, Ip = address, StartedAt = now, FinishedAt = now });
        var rank = 1;
        foreach (var a in contacts)
        {
            db.CaseContacts.Add(new CaseContact
            {
                CaseId = c.Id,
                Address = a,
                Source = "rdap",
                Sources = "rdap",
                Tier = "rdap-abuse",
                Confidence = "high",
                Rank = rank++,
                EvidenceJson = System.Text.Json.JsonSerializer.Serialize(new[] { new { query = "RDAP ip network " + address, answer = "abuse entity " + a } }),
                FirstSeenAt = now,
                LastSeenAt = now,
                RankedAt = now,
            });
        }
        await db.SaveChangesAsync();
        return c.Id;
    }

    /// <summary>What the contact lookup job does once contacts are recorded: plans the first notice.</summary>
    public async Task<Notice?> PlanAsync(int caseId, string? operatorActor = null, bool allowUnconfirmed = false)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        var n = await scope.ServiceProvider.GetRequiredService<NoticePlanner>().PlanFirstNoticeAsync(c, operatorActor, allowUnconfirmed, Time.GetUtcNow(), CancellationToken.None);
        await db.SaveChangesAsync();
        return n;
    }

    public async Task ApproveAllAsync(int caseId)
    {
        await DbAsync(async db =>
        {
            foreach (var n in await db.Notices.Include(x => x.Case).Where(x => x.CaseId == caseId && x.State == NoticeState.AwaitingApproval).ToListAsync())
                CaseWorkflow.ApproveNotice(n.Case!, n, "operator:test", Time.GetUtcNow());
        });
    }

    private CaseDispatcher Dispatcher(IServiceProvider sp) => new(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(Storage), Time,
        sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
        sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance);

    /// <summary>The dispatcher at the current fake time, then every notice job it enqueued (as the Hangfire server would).</summary>
    public async Task<List<long>> DispatchAndRunAsync()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await Dispatcher(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }
        var ids = Storage.GetMonitoringApi().EnqueuedJobs("default", 0, 1000).Where(j => j.Value.Job.Type == typeof(NoticeJob))
            .Select(j => (long)j.Value.Job.Args[0]).ToList();
        foreach (var id in ids.Distinct()) await RunJobAsync(id);
        foreach (var j in Storage.GetMonitoringApi().EnqueuedJobs("default", 0, 1000)) new BackgroundJobClient(Storage).Delete(j.Key);
        return ids;
    }

    public async Task RunJobAsync(long noticeId, Func<Task>? afterSend = null)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<NoticeJob>();
        job.AfterSend = afterSend;
        await job.RunAsync(noticeId, CancellationToken.None);
    }

    public Task<List<Notice>> NoticesAsync(int caseId) =>
        DbAsync(db => db.Notices.AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.Id).ToListAsync());

    public Task<Case> CaseAsync(int caseId) =>
        DbAsync(db => db.Cases.AsNoTracking().Include(c => c.Events).SingleAsync(c => c.Id == caseId));

    public async ValueTask DisposeAsync()
    {
        Storage.Dispose();
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
