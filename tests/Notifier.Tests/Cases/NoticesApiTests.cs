using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// The notices API over the real service (Hangfire workers, dispatcher every second, the outbox as the embedded
/// default): list, preview, approve one and in bulk, cancel, resend, and the notice in the outbox afterwards.
/// </summary>
public sealed class NoticesApiTests : IDisposable
{
    private readonly NotifierFactory _factory;
    private readonly string _outbox;

    public NoticesApiTests()
    {
        _outbox = Path.Combine(Path.GetTempPath(), "notifier-outbox-tests", Guid.NewGuid().ToString("n"));
        _factory = new NotifierFactory(new Dictionary<string, string?>
        {
            ["Notices:OutboxDirectory"] = _outbox,
            ["Notices:DeskAddress"] = "notices@desk.test",
            ["Notices:PublicBaseUrl"] = "https://notifier.desk.test",
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        try { Directory.Delete(_outbox, true); }
        catch (IOException) { }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A confirmed case with ranked contacts whose first notice was planned (as the contact lookup does).</summary>
    private async Task<(int CaseId, long NoticeId)> PlannedAsync(string address, params string[] contacts)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var caseId = await NoticeRig.SeedCaseAsync(db, DateTimeOffset.UtcNow, address, CaseState.Confirmed, contacts);
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        var n = await scope.ServiceProvider.GetRequiredService<NoticePlanner>().PlanFirstNoticeAsync(c, null, false, DateTimeOffset.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        return (caseId, n!.Id);
    }

    private static async Task<JsonElement> WaitForNoticeAsync(HttpClient client, long id, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement notice = default;
        while (DateTime.UtcNow < deadline)
        {
            var all = await JsonAsync(await client.GetAsync("/api/notices"));
            notice = all.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == id);
            if (notice.GetProperty("state").GetString() == state) return notice;
            await Task.Delay(250);
        }
        throw new TimeoutException($"notice {id} not {state} within 30 s: {notice}");
    }

    [Fact]
    public async Task Approve_PutsTheFinishedNoticeInTheOutbox_WhenNoSmarthostIsConfigured()
    {
        var client = await _factory.ClientWithKeyAsync();
        var (caseId, noticeId) = await PlannedAsync("198.51.100.20", "abuse@isp.example", "noc@isp.example");

        var waiting = await JsonAsync(await client.GetAsync($"/api/notices?state=awaiting-approval&caseId={caseId}"));
        var approved = await client.PostAsync($"/api/notices/{noticeId}/approve", null);
        var sent = await WaitForNoticeAsync(client, noticeId, "sent");
        var again = await client.PostAsync($"/api/notices/{noticeId}/approve", null);

        Assert.Equal(noticeId, Assert.Single(waiting.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var messageId = sent.GetProperty("messageId").GetString();
        Assert.Equal($"notice-{noticeId}@desk.test", messageId);
        var file = Assert.Single(Directory.GetFiles(_outbox, "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal(messageId, message.MessageId);
        Assert.Equal("abuse@isp.example", message.To.Mailboxes.Single().Address);
        Assert.Contains("198.51.100.20", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://notifier.desk.test/r/", message.TextBody, StringComparison.Ordinal);
        Assert.Contains(message.Attachments, a => a.ContentType.MimeType == "application/json");
        Assert.Contains(message.Attachments, a => a.ContentDisposition?.FileName?.EndsWith("-transcript.txt", StringComparison.Ordinal) == true);
        var detail = await JsonAsync(await client.GetAsync($"/api/cases/{caseId}"));
        Assert.Equal("Monitoring", detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal("sent", Assert.Single(detail.GetProperty("notices").EnumerateArray()).GetProperty("state").GetString());
        // Only the hash of the owner token is stored.
        await using var scope = _factory.Services.CreateAsyncScope();
        var link = await scope.ServiceProvider.GetRequiredService<NotifierDb>().OwnerLinks.SingleAsync(l => l.CaseId == caseId);
        var token = message.TextBody!.Split("https://notifier.desk.test/r/")[1].Split(' ', '\n', '\r', '>')[0];
        Assert.Equal(OwnerLinks.Hash(token), link.TokenHash);
        Assert.DoesNotContain(token, link.TokenHash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("+1")]
    public async Task Preview_Answers400_WhenTheKindIsANumber(string kind)
    {
        var client = await _factory.ClientWithKeyAsync();
        var (caseId, _) = await PlannedAsync("198.51.100.22", "abuse@isp.example");

        var r = await client.GetAsync($"/api/cases/{caseId}/notices/preview?kind={Uri.EscapeDataString(kind)}");

        // Enum.TryParse alone reads "2" as StillOpen: a number names no template.
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("kind", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_RendersWithoutSending_ForAnyTemplateLanguageAndContact()
    {
        var client = await _factory.ClientWithKeyAsync();
        var (caseId, noticeId) = await PlannedAsync("198.51.100.21", "abuse@isp.example", "noc@isp.example");

        var en = await JsonAsync(await client.GetAsync($"/api/cases/{caseId}/notices/preview"));
        var deResponse = await client.GetAsync($"/api/cases/{caseId}/notices/preview?kind=Reminder&lang=de&contact=noc@isp.example");
        Assert.True(deResponse.IsSuccessStatusCode, await deResponse.Content.ReadAsStringAsync());
        var de = await JsonAsync(deResponse);
        var badKind = await client.GetAsync($"/api/cases/{caseId}/notices/preview?kind=Nope");
        var notContact = await client.GetAsync($"/api/cases/{caseId}/notices/preview?contact=someone@else.example");

        Assert.Equal(("abuse@isp.example", "en"), (en.GetProperty("recipient").GetString(), en.GetProperty("language").GetString()));
        Assert.Contains($"[NR-{caseId:D6}]", en.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("198.51.100.21", en.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(("noc@isp.example", "de", "Reminder"), (de.GetProperty("recipient").GetString(), de.GetProperty("language").GetString(), de.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notContact.StatusCode);
        var notice = await JsonAsync(await client.GetAsync($"/api/notices?caseId={caseId}"));
        Assert.Equal("awaiting-approval", Assert.Single(notice.EnumerateArray()).GetProperty("state").GetString());
        Assert.False(Directory.Exists(_outbox) && Directory.GetFiles(_outbox, "*.eml").Length > 0);
    }

    [Fact]
    public async Task ApproveMany_ApprovesKnownAndListsRefused_WhenSomeIdsAreNotAwaitingApproval()
    {
        var client = await _factory.ClientWithKeyAsync();
        var (_, a) = await PlannedAsync("198.51.100.22", "abuse@a.example");
        var (_, b) = await PlannedAsync("198.51.100.23", "abuse@b.example");
        var (_, c) = await PlannedAsync("198.51.100.24", "abuse@c.example");
        var cancelled = await client.PostAsJsonAsync($"/api/notices/{c}/cancel", new { reason = "wrong relay" });

        var result = await JsonAsync(await client.PostAsJsonAsync("/api/notices/approve", new { ids = new[] { a, b, c, 999999L } }));
        await WaitForNoticeAsync(client, a, "sent");
        await WaitForNoticeAsync(client, b, "sent");

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal([a, b], result.GetProperty("approved").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()).Order());
        var refused = result.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64(), r => r.GetProperty("reason").GetString());
        Assert.Equal([c, 999999L], refused.Keys.Order());
        Assert.Contains("cancelled", refused[c], StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(_outbox, "*.eml").Length);
    }

    [Fact]
    public async Task Resend_SendsANewNoticeWithItsOwnMessageId_WhenTheFirstWasSent()
    {
        var client = await _factory.ClientWithKeyAsync();
        var (_, id) = await PlannedAsync("198.51.100.25", "abuse@isp.example");
        await client.PostAsync($"/api/notices/{id}/approve", null);
        await WaitForNoticeAsync(client, id, "sent");

        var resent = await JsonAsync(await client.PostAsync($"/api/notices/{id}/resend", null));
        var copy = await WaitForNoticeAsync(client, resent.GetProperty("id").GetInt64(), "sent");

        Assert.Equal(id, copy.GetProperty("replacesNoticeId").GetInt64());
        Assert.NotEqual($"notice-{id}@desk.test", copy.GetProperty("messageId").GetString());
        Assert.Equal(2, Directory.GetFiles(_outbox, "*.eml").Length);
    }

    [Fact]
    public async Task Approve_401_WithoutKey_And403_WithReadKey()
    {
        var anonymous = _factory.CreateClient();
        var reader = await _factory.ClientWithKeyAsync(Notifier.Auth.ApiScope.Read);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/notices/1/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/notices/1/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/notices")).StatusCode);
    }

    /// <summary>A confirmed case whose first notice to the first contact went out (as the notice job records it).</summary>
    private async Task<int> NotifiedAsync(string address, params string[] contacts)
    {
        var (caseId, noticeId) = await PlannedAsync(address, contacts);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var n = await db.Notices.Include(x => x.Case).SingleAsync(x => x.Id == noticeId);
        CaseWorkflow.ApproveNotice(n.Case!, n, "operator:test", DateTimeOffset.UtcNow.AddHours(-2));
        n.MessageId = NoticeMailFactory.MessageIdFor(n.Id, "desk.test");
        CaseWorkflow.NoticeSent(n.Case!, n, "test", "250 2.0.0 Ok: queued", new RetestOptions(), DateTimeOffset.UtcNow.AddHours(-2));
        await db.SaveChangesAsync();
        return caseId;
    }

    [Fact]
    public async Task Plan_SendsAReminderToTheContactToldLast_WhenTheCaseWasNotified()
    {
        var client = await _factory.ClientWithKeyAsync();
        var caseId = await NotifiedAsync("198.51.100.40", "abuse@isp.example", "noc@isp.example");

        var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind = "Reminder" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var planned = await JsonAsync(response);
        var again = await JsonAsync(await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind = "reminder" }));
        var sent = await WaitForNoticeAsync(client, planned.GetProperty("id").GetInt64(), "sent");
        var afterSent = await JsonAsync(await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind = "Reminder" }));

        Assert.Equal(("Reminder", "abuse@isp.example"), (planned.GetProperty("kind").GetString(), planned.GetProperty("recipient").GetString()));
        Assert.StartsWith("api:", planned.GetProperty("approvedBy").GetString(), StringComparison.Ordinal);
        // Asking twice (while it is under way, or just after it went out) is one reminder.
        Assert.Equal(planned.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(planned.GetProperty("id").GetInt64(), afterSent.GetProperty("id").GetInt64());
        var message = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(_outbox, "*.eml")));
        Assert.Equal(sent.GetProperty("messageId").GetString(), message.MessageId);
        Assert.StartsWith($"[NR-{caseId:D6}] Reminder: open mail relay at 198.51.100.40", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Notice-Type: reminder", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Earlier-Notice-At: ", message.TextBody, StringComparison.Ordinal);
        // Threaded to the first notice.
        Assert.Contains($"notice-", message.InReplyTo ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StillOpen")]
    [InlineData("Resolved")]
    [InlineData("Escalation")]
    public async Task Plan_Returns400SayingTheRetestsPlanIt_WhenKindIsAFollowUp(string kind)
    {
        var client = await _factory.ClientWithKeyAsync();
        var caseId = await NotifiedAsync("198.51.100.41", "abuse@isp.example");

        var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("planned by the retests", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single((await JsonAsync(await client.GetAsync($"/api/notices?caseId={caseId}"))).EnumerateArray());
    }

    [Fact]
    public async Task Plan_Returns400_WhenAReminderIsAskedForACaseNotNotified()
    {
        var client = await _factory.ClientWithKeyAsync();
        var (caseId, _) = await PlannedAsync("198.51.100.42", "abuse@isp.example");

        var reminder = await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind = "Reminder" });
        var unknown = await client.PostAsJsonAsync($"/api/cases/{caseId}/notices", new { kind = "Nope" });

        Assert.Equal(HttpStatusCode.BadRequest, reminder.StatusCode);
        Assert.Contains("was not notified yet", await reminder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("FirstNotice, Reminder", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("FirstNotice", Assert.Single((await JsonAsync(await client.GetAsync($"/api/notices?caseId={caseId}"))).EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Preview_RendersEveryKindInBothLanguages_ForANotifiedCase()
    {
        var client = await _factory.ClientWithKeyAsync();
        var caseId = await NotifiedAsync("198.51.100.43", "abuse@isp.example");
        var words = new Dictionary<(string, string), string>
        {
            [("FirstNotice", "en")] = "Open mail relay at",
            [("FirstNotice", "de")] = "Offenes Mail-Relay auf",
            [("Reminder", "en")] = "Reminder: ",
            [("Reminder", "de")] = "Erinnerung: ",
            [("StillOpen", "en")] = "Still open: ",
            [("StillOpen", "de")] = "Weiterhin offen: ",
            [("Resolved", "en")] = "Resolved: ",
            [("Resolved", "de")] = "Erledigt: ",
            [("Escalation", "en")] = "Escalation: ",
            [("Escalation", "de")] = "Eskalation: ",
        };

        foreach (var ((kind, lang), subject) in words)
        {
            var response = await client.GetAsync($"/api/cases/{caseId}/notices/preview?kind={kind}&lang={lang}");
            Assert.True(response.IsSuccessStatusCode, $"{kind} {lang}: {await response.Content.ReadAsStringAsync()}");
            var preview = await JsonAsync(response);
            Assert.StartsWith($"[NR-{caseId:D6}] {subject}", preview.GetProperty("subject").GetString(), StringComparison.Ordinal);
            Assert.Equal((kind, lang), (preview.GetProperty("kind").GetString(), preview.GetProperty("language").GetString()));
            Assert.Contains("Case-Reference: NR-", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
            var notes = preview.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
            // No retest ran: a Resolved preview says the thank-you has no retest to report yet, and sends nothing.
            if (kind == "Resolved") Assert.Contains(notes, n => n.StartsWith("No retest has found the relay closed", StringComparison.Ordinal));
            if (kind == "FirstNotice") Assert.Empty(notes);
        }
        Assert.Single((await JsonAsync(await client.GetAsync($"/api/notices?caseId={caseId}"))).EnumerateArray());
        Assert.False(Directory.Exists(_outbox) && Directory.GetFiles(_outbox, "*.eml").Length > 0);
    }
}
