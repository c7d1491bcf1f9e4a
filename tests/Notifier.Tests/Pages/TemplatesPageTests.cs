using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>/templates: any notice kind for any case and language, rendered by NoticePreview and never sent.</summary>
public sealed class TemplatesPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileHost = "<img src=x onerror=alert(1)>.evil.example";
    private static int _octet;

    /// <summary>A confirmed case with two contacts whose probe saw <see cref="HostileHost"/>.</summary>
    private async Task<int> CaseAsync(params string[] contacts)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var caseId = await NoticeRig.SeedCaseAsync(db, DateTimeOffset.UtcNow, $"198.51.100.{Interlocked.Increment(ref _octet)}", CaseState.Confirmed, contacts);
        var probe = await db.Probes.SingleAsync(p => p.CaseId == caseId);
        probe.ResultJson = ProbeResultJson.Serialize(ProbeResultJson.Deserialize(probe.ResultJson!)! with { HostName = HostileHost });
        await db.SaveChangesAsync();
        return caseId;
    }

    [Fact]
    public async Task Preview_ShowsSubjectTextHtmlAndAttachments_ForTheChosenContactAndLanguage()
    {
        var caseId = await CaseAsync("abuse@first.example", "noc@second.example");
        var client = await DashboardSession.SignedInAsync(factory);
        var reference = CaseReference.Format(caseId);

        var html = await client.GetStringAsync($"/templates?case={reference}&kind=Reminder&lang=de&contact=noc@second.example");

        Assert.Contains("<h2>Reminder to <code>noc@second.example</code> (de), not sent</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"[{reference}]", html, StringComparison.Ordinal);
        Assert.Contains("<iframe class=\"notice-html\" sandbox=\"\" srcdoc=\"", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"notice-text preview-text\">", html, StringComparison.Ordinal);
        Assert.Contains(".txt (text/plain", html, StringComparison.Ordinal);
        // Both contacts are offered, the chosen one selected.
        Assert.Contains("<option value=\"noc@second.example\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"abuse@first.example\">", html, StringComparison.Ordinal);
        Assert.Empty(await DbAsync(db => db.Notices.Where(n => n.CaseId == caseId).ToListAsync()));
    }

    [Fact]
    public async Task Preview_NeverLetsTheCaseTextBecomeMarkup()
    {
        var caseId = await CaseAsync("abuse@first.example");
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync($"/templates?case={caseId}&kind=FirstNotice");

        Assert.Contains("FirstNotice to <code>abuse@first.example</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("case=NR-999999&kind=FirstNotice", "case: there is no case NR-999999.")]
    [InlineData("case=not-a-case&kind=FirstNotice", "case: &quot;not-a-case&quot; is not a case reference (NR-000123) or id.")]
    [InlineData("case={0}&kind=Thanks", "kind: &quot;Thanks&quot; is no notice kind; one of FirstNotice, Reminder, StillOpen, Resolved, Escalation.")]
    [InlineData("case={0}&kind=2", "kind: &quot;2&quot; is no notice kind")]
    [InlineData("case={0}&kind=FirstNotice&lang=fr", "language: &quot;fr&quot; has no templates; en or de.")]
    [InlineData("case={0}&kind=FirstNotice&contact=someone@else.example", "contact: not a contact of the case; its contacts: abuse@first.example")]
    public async Task Preview_ExplainsTheProblem_WhenTheCaseKindLanguageOrContactIsUnknown(string query, string error)
    {
        var caseId = await CaseAsync("abuse@first.example");
        var client = await DashboardSession.SignedInAsync(factory);

        var r = await client.GetAsync($"/templates?{string.Format(System.Globalization.CultureInfo.InvariantCulture, query, caseId)}");
        var html = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(error, html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"preview\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ShowsTheEmptyForm_WhenNothingIsAsked()
    {
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync("/templates");

        Assert.Contains("<h1>Template preview</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">Preview</button>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"alert\"", html, StringComparison.Ordinal);
    }

    private async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }
}
