using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>The case page's Notices section as a signed-in operator's browser uses it: preview, downloads, actions.</summary>
public sealed partial class CaseNoticesPageTests : IDisposable
{
    private const string HostileHost = "<img src=x onerror=alert(1)>.evil.example";
    private const string HostileRecipient = "\"><script>alert(1)</script>@evil.example";

    private readonly NotifierFactory _factory;
    private readonly string _outbox;

    public CaseNoticesPageTests()
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

    private Task<HttpClient> SignedInAsync() => DashboardSession.SignedInAsync(_factory);

    private static string Token(string html) => DashboardSession.Token(html);

    /// <summary>A confirmed case whose first notice awaits approval; the probe saw <paramref name="hostName"/>.</summary>
    private async Task<(int CaseId, long NoticeId)> PlannedAsync(string address, string hostName, string contact)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var caseId = await NoticeRig.SeedCaseAsync(db, DateTimeOffset.UtcNow, address, CaseState.Confirmed, contact);
        var probe = await db.Probes.SingleAsync(p => p.CaseId == caseId);
        probe.ResultJson = ProbeResultJson.Serialize(ProbeResultJson.Deserialize(probe.ResultJson!)! with { HostName = hostName });
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        var n = await scope.ServiceProvider.GetRequiredService<NoticePlanner>().PlanFirstNoticeAsync(c, null, false, DateTimeOffset.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        return (caseId, n!.Id);
    }

    private async Task<Notice> NoticeAsync(long id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Notices.AsNoTracking().SingleAsync(n => n.Id == id);
    }

    [Fact]
    public async Task Details_ShowsNoticeWithPreviewTextAndAttachments_WhenNoticeAwaitsApproval()
    {
        var (caseId, noticeId) = await PlannedAsync("198.51.100.31", "mx.example.org", "abuse@isp.example");
        var client = await SignedInAsync();

        var page = await client.GetStringAsync($"/cases/{caseId}");
        var link = Regex.Match(page, "href=\"([^\"]*handler=Attachment[^\"]*)\"").Groups[1].Value;
        var download = await client.GetAsync(WebUtility.HtmlDecode(link));

        Assert.Contains($"id=\"notice-{noticeId}\"", page, StringComparison.Ordinal);
        Assert.Contains("awaiting-approval", page, StringComparison.Ordinal);
        Assert.Contains("abuse@isp.example", page, StringComparison.Ordinal);
        // The HTML part in a frame with no sandbox allowances (no allow-scripts), served with a policy of its own that
        // lets its inline styles apply and nothing run; the text part in a <pre>.
        Assert.Contains($"<iframe class=\"notice-html\" sandbox=\"\" src=\"/cases/{caseId}/notices/{noticeId}/html\"", page, StringComparison.Ordinal);
        var frame = await client.GetAsync($"/cases/{caseId}/notices/{noticeId}/html");
        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
        Assert.Equal(Notifier.Pages.Cases.NoticeHtmlFrame.ContentSecurityPolicy, frame.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Matches("<body[^>]*>[\\s\\S]*198\\.51\\.100\\.31", await frame.Content.ReadAsStringAsync());
        Assert.Matches("<pre class=\"notice-text\">[^<]*198\\.51\\.100\\.31", page);
        Assert.Contains("handler=ApproveNotice", page, StringComparison.Ordinal);
        Assert.NotEqual("", link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("RCPT TO:<relaytest+t@canary.test>", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("evidence", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveNotice_QueuesTheNotice_WhenOperatorPostsTheForm()
    {
        var (caseId, noticeId) = await PlannedAsync("198.51.100.32", "mx.example.org", "abuse@isp.example");
        var client = await SignedInAsync();
        var page = await client.GetStringAsync($"/cases/{caseId}");

        var approve = await client.PostAsync($"/cases/{caseId}?handler=ApproveNotice&notice={noticeId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page),
        }));
        var notice = await NoticeAsync(noticeId);
        var after = await client.GetStringAsync($"/cases/{caseId}");

        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        // The page only approves; the job claims and sends (it may already have by now).
        Assert.Contains(notice.State, new[] { NoticeState.Queued, NoticeState.Sending, NoticeState.Sent });
        Assert.StartsWith("operator:", notice.ApprovedBy, StringComparison.Ordinal);
        Assert.Contains($"Notice {noticeId} approved", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveNotice_ChangesNothing_WhenNotSignedInOrWithoutAntiforgery()
    {
        var (caseId, noticeId) = await PlannedAsync("198.51.100.33", "mx.example.org", "abuse@isp.example");
        var anonymous = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await SignedInAsync();

        var asAnonymous = await anonymous.PostAsync($"/cases/{caseId}?handler=ApproveNotice&notice={noticeId}", new FormUrlEncodedContent([]));
        var withoutToken = await signedIn.PostAsync($"/cases/{caseId}?handler=ApproveNotice&notice={noticeId}", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
        Assert.StartsWith("/login", asAnonymous.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(NoticeState.AwaitingApproval, (await NoticeAsync(noticeId)).State);
    }

    [Fact]
    public async Task Details_EncodesHostNameAndRecipient_WhenTheyCarryMarkup()
    {
        var (caseId, noticeId) = await PlannedAsync("198.51.100.34", HostileHost, HostileRecipient);
        var client = await SignedInAsync();

        var response = await client.GetAsync($"/cases/{caseId}");
        var page = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {page[..Math.Min(page.Length, 3000)]}");
        Assert.Contains($"id=\"notice-{noticeId}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        // The framed HTML part carries the template's own encoding.
        var frame = await client.GetStringAsync($"/cases/{caseId}/notices/{noticeId}/html");
        Assert.DoesNotContain("<img src=x", frame, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", frame, StringComparison.Ordinal);
    }

    /// <summary>A case whose first notice to <paramref name="contact"/> went out (as the notice job records it).</summary>
    private async Task<int> NotifiedAsync(string address, string contact)
    {
        var (caseId, noticeId) = await PlannedAsync(address, "mx.example.org", contact);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var n = await db.Notices.Include(x => x.Case).SingleAsync(x => x.Id == noticeId);
        CaseWorkflow.ApproveNotice(n.Case!, n, "operator:test", DateTimeOffset.UtcNow.AddHours(-2));
        CaseWorkflow.NoticeSent(n.Case!, n, "test", "250 2.0.0 Ok: queued", new RetestOptions(), DateTimeOffset.UtcNow.AddHours(-2));
        await db.SaveChangesAsync();
        return caseId;
    }

    [Fact]
    public async Task Details_PreviewsAFollowUpInTheChosenLanguage_WithoutSendingIt()
    {
        var caseId = await NotifiedAsync("198.51.100.35", "abuse@isp.example");
        var client = await SignedInAsync();

        var page = await client.GetStringAsync($"/cases/{caseId}?handler=Preview&kind=Resolved&lang=de");
        var bad = await client.GetStringAsync($"/cases/{caseId}?handler=Preview&kind=Nope");

        Assert.Contains("<option value=\"Escalation\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Resolved\" selected=\"selected\">", page, StringComparison.Ordinal);
        Assert.Contains($"Subject: [NR-{caseId:D6}] Erledigt: Mail-Relay auf 198.51.100.35", page, StringComparison.Ordinal);
        Assert.Matches("<pre class=\"notice-text preview-text\">[^<]*vielen Dank!", page);
        Assert.Contains("Notice-Type: resolved", page, StringComparison.Ordinal);
        Assert.Contains("No retest has found the relay closed", page, StringComparison.Ordinal);
        Assert.Contains("Choose one of FirstNotice, Reminder, StillOpen, Resolved, Escalation.", bad, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<NotifierDb>().Notices.CountAsync(n => n.CaseId == caseId));
    }

    [Fact]
    public async Task Remind_QueuesAReminderToTheContactToldLast_WhenOperatorPostsTheForm()
    {
        var caseId = await NotifiedAsync("198.51.100.36", "abuse@isp.example");
        var (unnotified, _) = await PlannedAsync("198.51.100.37", "mx.example.org", "abuse@isp.example");
        var client = await SignedInAsync();
        var page = await client.GetStringAsync($"/cases/{caseId}");

        var remind = await client.PostAsync($"/cases/{caseId}?handler=Remind", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page),
        }));
        var after = await client.GetStringAsync($"/cases/{caseId}");

        Assert.Contains("handler=Remind", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Remind", await client.GetStringAsync($"/cases/{unnotified}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, remind.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var reminder = await scope.ServiceProvider.GetRequiredService<NotifierDb>().Notices.AsNoTracking()
            .SingleAsync(n => n.CaseId == caseId && n.Kind == "Reminder");
        Assert.Equal("abuse@isp.example", reminder.Recipient);
        Assert.StartsWith("operator:", reminder.ApprovedBy, StringComparison.Ordinal);
        Assert.Contains($"Reminder {reminder.Id} to abuse@isp.example is queued", after, StringComparison.Ordinal);
    }
}
