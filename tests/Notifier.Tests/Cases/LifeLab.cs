using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// The whole service (WebApplicationFactory, real Hangfire server, dispatcher every second) on the loopback lab with
/// a fake clock, for living a case's weeks in seconds: the test moves <see cref="Time"/> on, nudges the dispatcher and
/// waits until the work that became due is done. Its database, keys and outbox live in a folder of its own, so
/// <see cref="RestartAsync"/> can stop the service and start a new one on the same data, as a redeploy would.
/// Contacts come from manual network rules (no RDAP or DNS on loopback: lookups go to a closed port and fail at once).
/// </summary>
public sealed class LifeLab : IAsyncDisposable
{
    /// <summary>Real time a step may take (a probe, the canary through the sink and Dovecot, a notice job).</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-life-").FullName;
    private readonly Dictionary<string, string?> _settings;
    private readonly TestDatabase? _database;
    private Factory _factory;

    /// <summary>
    /// A lab on <paramref name="provider"/>: SQLite in the lab's folder, or a fresh PostgreSQL database of its own
    /// (Hangfire's storage in it), kept across <see cref="RestartAsync"/> and dropped at the end.
    /// </summary>
    public static async Task<LifeLab> StartAsync(Notifier.Tests.Lab.Lab lab, string provider, IReadOnlyDictionary<string, string?> extra) =>
        new(lab, provider == DatabaseProvider.Postgres ? await TestPostgres.CreateDatabaseAsync() : null, extra);

    private LifeLab(Notifier.Tests.Lab.Lab lab, TestDatabase? database, IReadOnlyDictionary<string, string?> extra)
    {
        _database = database;
        Lab = lab;
        // The clock starts at the real time (canaries with real Date headers arrive after the probes that sent them), on
        // a whole second, so that times stored in the database compare equal to the clock's.
        var now = DateTimeOffset.UtcNow;
        Time = new FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        _settings = LabServiceSettings.For(lab, LabServiceSettings.NewDeskDomain('l'), new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "notifier.db")}",
            ["Probing:TokenKeyFile"] = Path.Combine(_dir, "keys", "probe-token.key"),
            ["Probing:DkimKeyFile"] = Path.Combine(_dir, "keys", "dkim-test-message.pem"),
            ["DataProtection:KeysDirectory"] = Path.Combine(_dir, "keys"),
            // One node across restarts: the new process recovers what the old one held.
            ["Jobs:NodeName"] = "life-node",
            ["Notices:OutboxDirectory"] = OutboxDirectory,
            ["Notices:DkimKeyFile"] = Path.Combine(_dir, "keys", "dkim-notice.pem"),
        });
        if (database is not null)
        {
            foreach (var (k, v) in database.Settings) _settings[k] = v;
        }
        foreach (var (k, v) in extra) _settings[k] = v;
        _factory = new Factory(_settings, Time);
    }

    public Notifier.Tests.Lab.Lab Lab { get; }

    /// <summary>The service's clock, shared by every host this lab starts (the world's time goes on across a restart).</summary>
    public FakeTimeProvider Time { get; }

    public string OutboxDirectory => Path.Combine(_dir, "outbox");

    public IServiceProvider Services => _factory.Services;

    public Task<HttpClient> ClientAsync() => _factory.ClientWithKeyAsync();

    /// <summary>Stops the service (graceful host shutdown, Hangfire server included) and starts a new one on the same database.</summary>
    public async Task RestartAsync()
    {
        await _factory.DisposeAsync();
        _factory = new Factory(_settings, Time);
        _ = _factory.Services;
    }

    /// <summary>Moves the clock to <paramref name="at"/> and has the dispatcher look now rather than at its next tick.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        Time.SetUtcNow(at);
        CaseDispatcher.Nudge(Services.GetRequiredService<IBackgroundJobClient>());
    }

    /// <summary>A case for the lab relay <paramref name="instance"/> (SWITCH, OPEN, GREYLIST), reported through the API.</summary>
    public async Task<int> ReportAsync(HttpClient client, string instance)
    {
        var ep = Lab.EndPoint(instance);
        var created = await client.PostAsJsonAsync("/api/cases", new { address = ep.Address.ToString(), port = ep.Port, source = "life" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
    }

    public async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    /// <summary>What a case has been through so far, as the assertions compare it.</summary>
    public Task<CaseLife> LifeAsync(int caseId) => DbAsync(async db =>
    {
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId);
        var probes = await db.Probes.AsNoTracking().Where(p => p.CaseId == caseId).OrderBy(p => p.Id).ToListAsync();
        var notices = await db.Notices.AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.Id).ToListAsync();
        var states = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId && e.ToState != null).OrderBy(e => e.Id).Select(e => e.ToState!).ToListAsync();
        return new CaseLife(c,
            [.. probes.Select(p => new ProbeSeen(p.Kind, p.Mode.ToText(), p.Verdict, p.RetestOutcome))],
            [.. notices.Select(n => new NoticeSeen(n.Kind, n.Recipient, n.State))],
            states,
            [.. notices.Where(n => n.MessageId != null && n.State == NoticeState.Sent).Select(n => n.MessageId!)],
            probes, notices);
    });

    /// <summary>
    /// Waits until nothing of the case is due or under way at the current fake time: every probe finished, no notice
    /// queued and due or being sent, no action due. What is due later waits for the clock.
    /// </summary>
    public Task<CaseLife> SettledAsync(int caseId, int probes, Func<CaseLife, bool>? also = null) =>
        UntilAsync(caseId, l => l.Probes.Count == probes
            && l.ProbeRows.All(p => p.Status is ProbeStatus.Done or ProbeStatus.Skipped)
            && !l.NoticeRows.Any(n => n.State == NoticeState.Sending || (n.State == NoticeState.Queued && n.NextAttemptAt <= Time.GetUtcNow()))
            && (l.Case.NextAction is null || l.Case.NextActionAt > Time.GetUtcNow())
            && (also is null || also(l)));

    /// <summary>Polls the case until <paramref name="done"/> holds; fails with what it looked like last.</summary>
    public async Task<CaseLife> UntilAsync(int caseId, Func<CaseLife, bool> done)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            var life = await LifeAsync(caseId);
            if (done(life)) return life;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Within} (fake now {Time.GetUtcNow():O}): {life}");
            await Task.Delay(200);
        }
    }

    /// <summary>The notices in the outbox (what would have been sent), by Message-ID: recipient and subject.</summary>
    public async Task<Dictionary<string, (string To, string Subject)>> OutboxAsync()
    {
        var found = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (!Directory.Exists(OutboxDirectory)) return found;
        foreach (var file in Directory.GetFiles(OutboxDirectory, "*.eml"))
        {
            var m = await MimeMessage.LoadAsync(file);
            found.Add(m.MessageId ?? throw new InvalidOperationException($"{file} has no Message-ID"), (Assert.Single(m.To.Mailboxes).Address, m.Subject ?? ""));
        }
        return found;
    }

    /// <summary>The manual contact rule for the lab's 127.0.0.0/8 (made before the case, so its first lookup ranks it).</summary>
    public static Task AddContactAsync(HttpClient client, string address) => NoticeLab.AddContactsAsync(client, address);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The test service with the lab's fake clock in place of the system clock.</summary>
    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider time) : NotifierFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time));
        }
    }
}

public sealed record ProbeSeen(string Kind, string Mode, string? Verdict, string? RetestOutcome);

public sealed record NoticeSeen(string Kind, string Recipient, string State);

/// <summary>A case's life so far: its probes, notices and the states it went through (the events' ToState), oldest first.</summary>
public sealed record CaseLife(Case Case, IReadOnlyList<ProbeSeen> Probes, IReadOnlyList<NoticeSeen> Notices, IReadOnlyList<string> States,
    IReadOnlyList<string> SentMessageIds, IReadOnlyList<Probe> ProbeRows, IReadOnlyList<Notice> NoticeRows)
{
    public override string ToString() =>
        $"case {Case.Id} {Case.State} next {Case.NextAction}@{Case.NextActionAt:O}; states [{string.Join(", ", States)}]; probes [{string.Join(", ", ProbeRows.Select(p => $"{p.Id}:{p.Kind}/{p.Mode.ToText()}/{p.Status}/{p.Verdict}/{p.RetestOutcome}"))}]; notices [{string.Join(", ", NoticeRows.Select(n => $"{n.Id}:{n.Kind}->{n.Recipient}/{n.State}@{n.NextAttemptAt:O} {n.LastError}"))}]";
}
