using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// The whole service against the loopback lab for the notice end-to-end tests: probing allowed on loopback, the
/// canary mailbox polled every second, contact discovery pointed at a closed loopback port (no public RDAP or DNS:
/// the contacts come from manual network rules), and a desk domain of its own so its Message-IDs are unique in the
/// lab's shared mailboxes.
/// </summary>
public sealed class NoticeLab : IDisposable, IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    private readonly Notifier.Tests.Lab.Lab _lab;
    private readonly string _keys = Directory.CreateTempSubdirectory("notifier-notice-keys-").FullName;
    private readonly TestDatabase? _database;

    /// <summary>A lab on <paramref name="provider"/>: SQLite, or a fresh PostgreSQL database of its own, dropped at the end.</summary>
    public static async Task<NoticeLab> StartAsync(Notifier.Tests.Lab.Lab lab, string provider, IReadOnlyDictionary<string, string?> extra)
    {
        var database = provider == Notifier.Data.DatabaseProvider.Postgres ? await TestPostgres.CreateDatabaseAsync() : null;
        var settings = new Dictionary<string, string?>(database?.Settings ?? new Dictionary<string, string?>());
        foreach (var (k, v) in extra) settings[k] = v;
        return new NoticeLab(lab, settings, database);
    }

    public NoticeLab(Notifier.Tests.Lab.Lab lab, IReadOnlyDictionary<string, string?> extra)
        : this(lab, extra, null)
    {
    }

    private NoticeLab(Notifier.Tests.Lab.Lab lab, IReadOnlyDictionary<string, string?> extra, TestDatabase? database)
    {
        _database = database;
        _lab = lab;
        DeskDomain = LabServiceSettings.NewDeskDomain('d');
        var settings = LabServiceSettings.For(lab, DeskDomain, new Dictionary<string, string?>
        {
            ["Notices:OutboxDirectory"] = Path.Combine(_keys, "outbox"),
            ["Notices:DkimKeyFile"] = Path.Combine(_keys, "dkim-notice.pem"),
        });
        foreach (var (k, v) in extra) settings[k] = v;
        Factory = new NotifierFactory(settings);
    }

    public NotifierFactory Factory { get; }

    public string DeskDomain { get; }

    public string OutboxDirectory => Path.Combine(_keys, "outbox");

    public string DkimKeyFile => Path.Combine(_keys, "dkim-notice.pem");

    /// <summary>The settings that send notices through the lab's smarthost (STARTTLS with its self-signed certificate, AUTH).</summary>
    public static Dictionary<string, string?> Smarthost(Notifier.Tests.Lab.Lab lab)
    {
        var ep = lab.EndPoint("SMARTHOST");
        return new()
        {
            ["Notices:Smarthost:Host"] = ep.Address.ToString(),
            ["Notices:Smarthost:Port"] = ep.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notices:Smarthost:Security"] = "StartTls",
            ["Notices:Smarthost:AcceptAnyServerCertificate"] = "true",
            ["Notices:Smarthost:UserName"] = lab["NOTIFIER_LAB_SMARTHOST_USER"],
            ["Notices:Smarthost:Password"] = lab["NOTIFIER_LAB_SMARTHOST_PASSWORD"],
        };
    }

    /// <summary>
    /// Manual network rules for the lab's 127.0.0.0/8, made before the case exists so its first lookup ranks them:
    /// the first preferred (rank 1), the others added after it.
    /// </summary>
    public static async Task AddContactsAsync(HttpClient client, params string[] addresses)
    {
        for (var i = 0; i < addresses.Length; i++)
        {
            var created = await client.PostAsJsonAsync("/api/contacts/rules",
                new { address = addresses[i], action = i == 0 ? "prefer" : "add", scope = "network", network = "127.0.0.0/8", reason = "lab owner" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A case for the lab's open relay, reported through the API (probed, confirmed by its canary, contacts looked up).</summary>
    public async Task<int> ReportOpenRelayAsync(HttpClient client)
    {
        var ep = _lab.EndPoint("OPEN");
        var created = await client.PostAsJsonAsync("/api/cases", new { address = ep.Address.ToString(), port = ep.Port, source = "e2e" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
    }

    public static async Task<JsonElement> CaseAsync(HttpClient client, int caseId) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/cases/{caseId}")).RootElement;

    public static async Task<List<JsonElement>> NoticesAsync(HttpClient client, int caseId) =>
        [.. JsonDocument.Parse(await client.GetStringAsync($"/api/notices?caseId={caseId}")).RootElement.EnumerateArray().OrderBy(n => n.GetProperty("id").GetInt64())];

    /// <summary>Polls until <paramref name="found"/> gives a value; fails with the last state seen.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> found, Func<Task<string>> state, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (true)
        {
            if (await found() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within ?? Within}: {await state()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits for the case's first notice to await approval (the canary confirmed it, the lookup ranked the rules).</summary>
    public static Task<JsonElement> AwaitingApprovalAsync(HttpClient client, int caseId) =>
        UntilAsync<JsonElement?>(async () => (await NoticesAsync(client, caseId)).FirstOrDefault(n => n.GetProperty("state").GetString() == "awaiting-approval") is { ValueKind: JsonValueKind.Object } n ? n : null,
            async () => (await CaseAsync(client, caseId)).ToString()).ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    public static async Task ApproveAsync(HttpClient client, long noticeId)
    {
        var approved = await client.PostAsync($"/api/notices/{noticeId}/approve", null);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for a notice of the case to <paramref name="recipient"/> in one of <paramref name="states"/>.</summary>
    public static Task<JsonElement> NoticeInStateAsync(HttpClient client, int caseId, string recipient, params string[] states) =>
        UntilAsync<JsonElement?>(async () => (await NoticesAsync(client, caseId)).FirstOrDefault(n => n.GetProperty("recipient").GetString() == recipient && states.Contains(n.GetProperty("state").GetString())) is { ValueKind: JsonValueKind.Object } n ? n : null,
            async () => string.Join("\n", (await NoticesAsync(client, caseId)).Select(n => n.ToString())) + "\n" + await CaseAsync(client, caseId)).ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    /// <summary>The messages in the lab owner's mailbox (what the smarthost delivered to *@owner.test) with this Message-ID.</summary>
    public async Task<List<MimeMessage>> OwnerMessagesAsync(string messageId)
    {
        using var imap = new ImapClient();
        var ep = _lab.EndPoint("IMAP");
        await imap.ConnectAsync(ep.Address.ToString(), ep.Port, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(_lab["NOTIFIER_LAB_OWNER_IMAP_USER"], _lab["NOTIFIER_LAB_OWNER_IMAP_PASSWORD"]);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var ids = await imap.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        var messages = new List<MimeMessage>();
        foreach (var id in ids) messages.Add(await imap.Inbox.GetMessageAsync(id));
        await imap.DisconnectAsync(true);
        return messages;
    }

    /// <summary>Waits for the notice with this Message-ID to be in the owner's mailbox.</summary>
    public Task<MimeMessage> OwnerMessageAsync(string messageId) =>
        UntilAsync(async () => (await OwnerMessagesAsync(messageId)).FirstOrDefault(), () => Task.FromResult($"no message {messageId} in the owner mailbox"));

    public async ValueTask DisposeAsync()
    {
        Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }

    public void Dispose()
    {
        Factory.Dispose();
        try { Directory.Delete(_keys, recursive: true); }
        catch (IOException) { }
    }
}
