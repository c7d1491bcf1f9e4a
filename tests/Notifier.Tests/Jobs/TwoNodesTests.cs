using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Npgsql;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Jobs;

/// <summary>
/// Issue 15's "How it is tested": two Notifier processes on one real PostgreSQL (a fresh database) take 500 cases
/// of the lab's fleets (450 closed relays, 50 open ones), and one node is killed with SIGKILL while it probes. Every
/// case ends with exactly one completed probe, every open relay gets exactly one notice (sent, or interrupted for an
/// operator when the killed node was handing it over), no message arrives twice in the owner's mailbox, and the
/// probes the killed node held finish on the other node.
/// </summary>
[Collection(TwoNodesCollection.Name)]
public sealed class TwoNodesTests(Notifier.Tests.Lab.Lab lab) : IAsyncLifetime
{
    private const int ClosedCases = 450, OpenCases = 50;
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DispatchEvery = TimeSpan.FromSeconds(2);

    private TestDatabase _database = null!;
    private readonly List<RunningNotifier> _nodes = [];

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// The cluster's shared settings: one database, one canary key (a canary sent by one node is recognised by
    /// whichever node polls the inbox), the fleet's own canary mailbox, notices without approval through the
    /// smarthost, and timeouts short enough for a lab.
    /// </summary>
    private Dictionary<string, string> ClusterSettings(string deskDomain)
    {
        var smarthost = lab.EndPoint("SMARTHOST");
        var settings = LabServiceSettings.For(lab, deskDomain, fleet: true);
        // Each fleet relay is a target of its own (no minimum interval per target); the per-network limit (a /24 each)
        // stays as it is.
        foreach (var (k, v) in new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Probing:TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Probing:MaxTestMessages"] = "1",
            ["Probing:TotalTimeout"] = TotalTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Notices:RequireApproval"] = "false",
            ["Notices:DailyBudgetPerDomain"] = "10000",
            ["Notices:Smarthost:Host"] = smarthost.Address.ToString(),
            ["Notices:Smarthost:Port"] = smarthost.Port.ToString(CultureInfo.InvariantCulture),
            ["Notices:Smarthost:Security"] = "None",
            // A notice the killed node was handing over is taken up again after this, not after 5 minutes.
            ["Notices:SendLease"] = "00:00:30",
            ["Jobs:InvisibilityTimeout"] = InvisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Jobs:LeaseMargin"] = LeaseMargin.ToString("c", CultureInfo.InvariantCulture),
            ["Jobs:DispatchCron"] = $"*/{DispatchEvery.TotalSeconds} * * * * *",
            ["Jobs:RequeueAfter"] = "00:00:30",
            ["Jobs:WorkerCount"] = "20",
        }) settings[k] = v;
        foreach (var (k, v) in _database.Settings) settings[k] = v!;
        return settings;
    }

    private async Task<RunningNotifier> StartNodeAsync(Dictionary<string, string> cluster, string name, string role)
    {
        var settings = new Dictionary<string, string>(cluster, StringComparer.Ordinal) { ["Jobs:NodeName"] = name, ["Node:Role"] = role };
        var node = await RunningNotifier.StartAsync(settings, TimeSpan.FromMinutes(3));
        _nodes.Add(node);
        return node;
    }

    [Fact]
    public async Task FiveHundredCases_AreProbedOnceAndNoticedOnce_WhenOneOfTwoNodesIsKilledMidRun()
    {
        var recipientDomain = lab["NOTIFIER_LAB_NOTICE_DOMAIN"];
        var recipient = $"n{Guid.NewGuid():N}"[..17] + "@" + recipientDomain;
        var cluster = ClusterSettings(LabServiceSettings.NewDeskDomain('d'));
        var web = await StartNodeAsync(cluster, "node-a", "all");
        var worker = await StartNodeAsync(cluster, "node-b", "worker");

        using var api = new HttpClient { BaseAddress = web.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await web.RunVerbAsync("apikey", "create", "two-nodes")).Trim());
        var rule = await api.PostAsJsonAsync("/api/contacts/rules",
            new { address = recipient, action = "prefer", scope = "network", network = "127.0.0.0/8", reason = "lab fleet owner" });
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());

        var closed = Endpoints("NOTIFIER_LAB_FLEET_CLOSED").Take(ClosedCases).ToList();
        var open = Endpoints("NOTIFIER_LAB_FLEET_OPEN").Take(OpenCases).ToList();
        Assert.Equal(ClosedCases + OpenCases, closed.Concat(open).Distinct().Count());
        var csv = Path.Combine(web.Directory, "fleet.csv");
        await File.WriteAllLinesAsync(csv, ["address,port,source", .. closed.Concat(open).Select(e => $"{e.Replace(':', ',')},two-nodes")]);
        Assert.Contains($"{ClosedCases + OpenCases} opened, 0 added to open cases, 0 rejected", await web.RunVerbAsync("import", csv), StringComparison.Ordinal);

        // Mid-run: the worker node holds probes (running under its lease) and others are done already.
        var held = await UntilAsync(async () =>
        {
            var running = await ColumnAsync<int>("""SELECT "Id" FROM "Probes" WHERE "Status" = 'running' AND "LeaseOwner" = 'node-b'""");
            return running.Count >= 3 && await ScalarAsync("""SELECT COUNT(*) FROM "Probes" WHERE "Status" = 'done'""") >= 20 ? running : null;
        }, TimeSpan.FromMinutes(2), "the worker node never held running probes");
        await worker.SignalAsync("KILL");
        var killedAt = DateTimeOffset.UtcNow;
        Assert.Equal(137, await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        // What the killed node held at the end: its last lease on each probe (renewed while waiting for a turn).
        var leases = await RowsAsync($"""SELECT "Id", "Status", "LeaseUntil" FROM "Probes" WHERE "Id" IN ({string.Join(',', held)})""",
            r => (Id: r.GetInt32(0), Status: r.GetString(1), LeaseUntil: r.IsDBNull(2) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(2)));

        await UntilAsync(async () => await ScalarAsync("""SELECT COUNT(DISTINCT "CaseId") FROM "Probes" WHERE "Status" = 'done'""") == ClosedCases + OpenCases
            && await ScalarAsync("""SELECT COUNT(*) FROM "Probes" WHERE "Status" IN ('queued', 'running')""") == 0 ? "" : null,
            TimeSpan.FromMinutes(6), "not every case was probed", async () =>
                "probes: " + string.Join(", ", await RowsAsync("""SELECT "Status", COUNT(*) FROM "Probes" GROUP BY "Status" """, r => $"{r.GetString(0)} {r.GetInt64(1)}")));

        // Exactly one completed probe per case: the killed node's probes were not finished twice, nothing was lost.
        var twice = await ColumnAsync<int>("""SELECT "CaseId" FROM "Probes" WHERE "Status" = 'done' GROUP BY "CaseId" HAVING COUNT(*) <> 1""");
        Assert.Empty(twice);
        var notRelay = await ScalarAsync("""SELECT COUNT(*) FROM "Cases" WHERE "State" = 'NotRelay'""");
        Assert.True(ClosedCases == notRelay, $"{notRelay} of {ClosedCases} closed relays were found not to relay; " + await PipelineStateAsync());

        // The killed node's probes finished on the other node: one that waited for its turn once Hangfire handed its
        // job on (the invisibility timeout), one already in its dialogue once its lease ran out and the dispatcher
        // queued it again; then the probe itself.
        // (A probe finished after the kill was finished by node-a: node-b's process is gone.)
        var finished = (await RowsAsync($"""SELECT "Id", "FinishedAt" FROM "Probes" WHERE "Id" IN ({string.Join(',', held)})""",
            r => (Id: r.GetInt32(0), FinishedAt: r.GetFieldValue<DateTimeOffset>(1)))).ToDictionary(p => p.Id);
        Assert.Contains(leases, l => l.Status == "running");
        foreach (var lease in leases.Where(l => l.Status == "running"))
        {
            var p = finished[lease.Id];
            Assert.True(p.FinishedAt > killedAt, $"probe {p.Id} held by the killed node finished at {p.FinishedAt:O}, before the kill at {killedAt:O}");
            var takenOver = Max(killedAt + InvisibilityTimeout, (lease.LeaseUntil ?? killedAt) + DispatchEvery);
            Assert.True(p.FinishedAt <= takenOver + TotalTimeout + TimeSpan.FromSeconds(5),
                $"probe {p.Id} of the killed node finished at {p.FinishedAt:O}, killed at {killedAt:O}, its lease until {lease.LeaseUntil:O}");
        }

        // Every open relay was noticed once: one notice per case, sent (or carried in another's message), or, when the
        // killed node was handing it to the smarthost, put down as interrupted for an operator (a notice is never sent
        // twice, so one that may have gone out is not resent by itself); no message arrived twice in the owner's mailbox.
        var verdicts = await RowsAsync("""SELECT "Verdict", COUNT(*) FROM "Probes" GROUP BY "Verdict" ORDER BY "Verdict" """, r => (Verdict: r.IsDBNull(0) ? "(none)" : r.GetString(0), Count: r.GetInt64(1)));
        Assert.True(OpenCases == verdicts.Where(v => Notifier.Probing.ProbeVerdict.IsSuspected(v.Verdict)).Sum(v => v.Count),
            "verdicts: " + string.Join(", ", verdicts.Select(v => $"{v.Verdict} {v.Count}")));
        await UntilAsync(async () => await ScalarAsync("""SELECT COUNT(DISTINCT "CaseId") FROM "Notices" WHERE "State" IN ('sent', 'carried', 'interrupted')""") == OpenCases ? "" : null,
            TimeSpan.FromMinutes(2), "not every open relay was noticed", async () =>
                await CaseStatesAsync()
                + "; notices: " + string.Join(", ", await RowsAsync("""SELECT "State", COALESCE("LastError", ''), COUNT(*) FROM "Notices" GROUP BY "State", "LastError" """, r => $"{r.GetString(0)} '{r.GetString(1)}' {r.GetInt64(2)}"))
                + "; events of an open case: " + string.Join(" | ", await RowsAsync("""SELECT "Kind", "Summary" FROM "CaseEvents" WHERE "CaseId" = (SELECT MAX("CaseId") FROM "Probes" WHERE "Verdict" IN ('data-accepted', 'confirmed')) ORDER BY "Id" """, r => $"{r.GetString(0)}: {r.GetString(1)}"))
                + "\nnode-a:\n" + string.Join('\n', web.Output.TakeLast(40)));
        Assert.Empty(await ColumnAsync<int>("""SELECT "CaseId" FROM "Notices" GROUP BY "CaseId" HAVING COUNT(*) <> 1"""));
        var sentIds = await ColumnAsync<string>("""SELECT "MessageId" FROM "Notices" WHERE "State" = 'sent'""");
        Assert.NotEmpty(sentIds);
        await UntilAsync(async () =>
        {
            var ids = await OwnerMessageIdsAsync(recipient);
            return sentIds.All(ids.Contains) ? ids : null;
        }, TimeSpan.FromMinutes(1), "not every sent notice arrived");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var arrived = await OwnerMessageIdsAsync(recipient);
        Assert.Empty(arrived.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(sentIds, id => Assert.Contains(id, arrived));
        // Nothing else arrived: every message is one of our notices (the one the killed node handed over may be put down
        // as sent or interrupted depending on when the kill came).
        var states = await RowsAsync("""SELECT "MessageId", "State" FROM "Notices" WHERE "MessageId" IS NOT NULL""", r => (Id: r.GetString(0), State: r.GetString(1)));
        Assert.All(arrived, id => Assert.True(states.Any(n => n.Id == id), $"{id} arrived but is no notice of ours; notices: {string.Join(", ", states.Select(n => $"{n.Id} {n.State}"))}"));
    }

    /// <summary>
    /// What the cases and probes came to, for a failure message: cases by state, probes by verdict, and the events of
    /// one case that is neither a relay nor found closed (CI once saw none of the 450 closed relays end NotRelay).
    /// </summary>
    private async Task<string> PipelineStateAsync() =>
        await CaseStatesAsync()
        + "; probes: " + string.Join(", ", await RowsAsync("""SELECT COALESCE("Verdict", '(none)'), COALESCE("Reason", ''), COUNT(*) FROM "Probes" GROUP BY "Verdict", "Reason" ORDER BY 3 DESC LIMIT 10""", r => $"{r.GetString(0)} '{r.GetString(1)}' {r.GetInt64(2)}"))
        + "; events of a case not NotRelay: " + string.Join(" | ", await RowsAsync("""SELECT "Kind", "Summary" FROM "CaseEvents" WHERE "CaseId" = (SELECT MIN("Id") FROM "Cases" WHERE "State" NOT IN ('NotRelay', 'Confirmed', 'Notifying', 'Monitoring', 'Suspected')) ORDER BY "Id" """, r => $"{r.GetString(0)}: {r.GetString(1)}"));

    /// <summary>"cases: " and the number of cases in each state, for a failure message.</summary>
    private async Task<string> CaseStatesAsync() =>
        "cases: " + string.Join(", ", await RowsAsync("""SELECT "State", COUNT(*) FROM "Cases" GROUP BY "State" """, r => $"{r.GetString(0)} {r.GetInt64(1)}"));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private string[] Endpoints(string key) => lab[key].Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The Message-ID of every message for <paramref name="recipient"/> in the owner's mailbox, once per message.</summary>
    private async Task<List<string>> OwnerMessageIdsAsync(string recipient)
    {
        using var imap = new ImapClient();
        var ep = lab.EndPoint("IMAP");
        await imap.ConnectAsync(ep.Address.ToString(), ep.Port, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(lab["NOTIFIER_LAB_OWNER_IMAP_USER"], lab["NOTIFIER_LAB_OWNER_IMAP_PASSWORD"]);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await imap.Inbox.SearchAsync(SearchQuery.ToContains(recipient));
        var summaries = uids.Count == 0 ? [] : await imap.Inbox.FetchAsync(uids, MessageSummaryItems.Envelope);
        await imap.DisconnectAsync(true);
        return [.. summaries.Select(s => s.Envelope?.MessageId ?? "(no Message-ID)")];
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private Task<List<T>> ColumnAsync<T>(string sql) => RowsAsync(sql, r => r.GetFieldValue<T>(0));

    private async Task<List<T>> RowsAsync<T>(string sql, Func<NpgsqlDataReader, T> row)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(row(reader));
        return rows;
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> found, TimeSpan within, string failure, Func<Task<string>>? state = null) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await found() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{failure} within {within}" + (state is null ? "" : ": " + await state()));
            await Task.Delay(500);
        }
    }
}

/// <summary>
/// The two-node test on its own: its database is its own, its canaries go to the fleet's own mailbox and its notices
/// to a recipient of its own, so it runs beside the lab collection rather than after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TwoNodesCollection : ICollectionFixture<Notifier.Tests.Lab.Lab>
{
    public const string Name = "two nodes";
}
