using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>/inbox: mail the inbox placed on no case, read safely, and filed onto a case (page and API, one code).</summary>
public sealed class InboxPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileSubject = "<script>alert('subject')</script> hello";
    private static long _uid = 1000;
    private static int _octet;

    private static byte[] Mail(string from, string subject, string? text, string? html = null)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse("abuse@desk.test"));
        m.Subject = subject;
        m.MessageId = $"{Guid.NewGuid():N}@sender.example";
        m.Date = DateTimeOffset.UtcNow;
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        m.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        m.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Through the real inbox processing: a stranger's mail with no case tag is kept as unknown.</summary>
    private async Task<InboundMessage> ReceiveAsync(byte[] raw)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var (row, _, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>()
            .ProcessAsync(raw, "INBOX", 7, Interlocked.Increment(ref _uid), CancellationToken.None);
        return row;
    }

    private async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    /// <summary>A domain of its own per test: the inbox threads a sender's later mail to the case of their earlier reply.</summary>
    private static string Owner() => $"o{Guid.NewGuid():N}"[..12] + ".example";

    private Task<int> CaseAsync(params string[] contacts) => DbAsync(db =>
        NoticeRig.SeedCaseAsync(db, DateTimeOffset.UtcNow, $"203.0.113.{Interlocked.Increment(ref _octet)}", CaseState.Confirmed, contacts));

    [Fact]
    public async Task List_ShowsUnplacedMailNewestFirst_WithTheSubjectEncoded()
    {
        var older = await ReceiveAsync(Mail($"someone@{Owner()}", "a question about your service", "hello"));
        var newer = await ReceiveAsync(Mail($"other@{Owner()}", HostileSubject, "hello"));
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync("/inbox?class=unknown");

        Assert.Equal(InboundClass.Unknown, newer.Class);
        Assert.Contains($"data-message-id=\"{older.Id}\"", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf($"data-message-id=\"{newer.Id}\"", StringComparison.Ordinal) < html.IndexOf($"data-message-id=\"{older.Id}\"", StringComparison.Ordinal));
        Assert.DoesNotContain("<script>alert('subject')", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ShowsHeadersAndText_NeverTheHtmlAsMarkup_AndTheRawDownload()
    {
        var raw = Mail("someone@stranger.example", "html only", null, "<p>Look <img src=\"https://tracker.example/p.gif\"> at <b>this</b></p><script>alert(1)</script>");
        var m = await ReceiveAsync(raw);
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync($"/inbox/{m.Id}");
        var download = await client.GetAsync($"/inbox/{m.Id}?handler=Raw");

        Assert.Contains("From: someone@stranger.example", html, StringComparison.Ordinal);
        Assert.Contains("Look", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=\"https://tracker.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("message/rfc822", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(raw, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task File_MakesAPersonsMailAReplyOfTheCase_AndRequestsTheRetestItAsksFor()
    {
        var owner = Owner();
        var caseId = await CaseAsync($"abuse@{owner}");
        var m = await ReceiveAsync(Mail($"admin@{owner}", "about your mail", "We have fixed the relay configuration."));
        var client = await DashboardSession.SignedInAsync(factory);

        var post = await PageForm.PostAsync(client, $"/inbox/{m.Id}", $"/inbox/{m.Id}?handler=File", new Dictionary<string, string> { ["Case"] = CaseReference.Format(caseId) });
        var page = await client.GetStringAsync($"/inbox/{m.Id}");
        var list = await client.GetStringAsync("/inbox");
        var filed = await DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(x => x.Id == m.Id));
        var events = await DbAsync(db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());
        var c = await DbAsync(db => db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains($"Filed onto {CaseReference.Format(caseId)} as reply (intent fixed).", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-message-id=\"{m.Id}\"", list, StringComparison.Ordinal);
        Assert.Equal(caseId, filed.CaseId);
        Assert.Equal(InboundClass.Reply, filed.Class);
        Assert.Equal(ReplyIntent.Fixed, filed.Intent);
        var filing = Assert.Single(events, e => e.Kind == CaseEventKind.MailFiled);
        Assert.StartsWith("operator:", filing.Actor, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Kind == CaseEventKind.Reply && e.Summary.Contains("retest requested", StringComparison.Ordinal));
        Assert.True(c.NeedsAttention);
    }

    [Fact]
    public async Task File_HoldsTheOptOut_WhenTheSenderIsNotProven()
    {
        var owner = Owner();
        var caseId = await CaseAsync($"abuse@{owner}");
        var m = await ReceiveAsync(Mail($"admin@{owner}", "stop", "Please stop sending us these messages."));
        var api = await factory.ClientWithKeyAsync();

        var r = await api.PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { caseId });
        var filed = await DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(x => x.Id == m.Id));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(ReplyIntent.OptOut, filed.Intent);
        Assert.Equal(ReplyIntent.OptOut, filed.HeldIntent);
        Assert.False(await DbAsync(db => db.Suppressions.AnyAsync(s => s.Value == $"admin@{owner}")));
    }

    [Fact]
    public async Task PutCase_RefusesUnknownCasesAndMessages_AndMailOnACaseAlready()
    {
        var caseId = await CaseAsync($"abuse@{Owner()}");
        var m = await ReceiveAsync(Mail($"x@{Owner()}", "hello", "just saying hello"));
        var api = await factory.ClientWithKeyAsync();

        var unknownCase = await api.PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { caseId = 999999 });
        var noCase = await api.PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { });
        var unknownMessage = await api.PutAsJsonAsync("/api/inbox/messages/999999/case", new { caseId });
        var first = await api.PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { caseId });
        var again = await api.PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { caseId });
        var readOnly = await (await factory.ClientWithKeyAsync(ApiScope.Read)).PutAsJsonAsync($"/api/inbox/messages/{m.Id}/case", new { caseId });

        Assert.Equal(HttpStatusCode.BadRequest, unknownCase.StatusCode);
        Assert.Contains("there is no case NR-999999", await unknownCase.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noCase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownMessage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"is on {CaseReference.Format(caseId)} already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Single(await DbAsync(db => db.CaseEvents.Where(e => e.CaseId == caseId && e.Kind == CaseEventKind.MailFiled).ToListAsync()));
    }

    [Fact]
    public async Task File_ShowsTheError_WhenTheCaseReferenceIsUnknown()
    {
        var m = await ReceiveAsync(Mail($"y@{Owner()}", "hello", "hello again"));
        var client = await DashboardSession.SignedInAsync(factory);

        var post = await PageForm.PostAsync(client, $"/inbox/{m.Id}", $"/inbox/{m.Id}?handler=File", new Dictionary<string, string> { ["Case"] = "NR-888888" });

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("there is no case NR-888888", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(x => x.Id == m.Id))).CaseId);
    }
}
