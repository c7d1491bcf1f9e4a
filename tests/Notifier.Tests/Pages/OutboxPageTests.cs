using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>/outbox: the notices after approval, newest first, with how each went (or did not go) out.</summary>
public sealed partial class OutboxPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileReply = "250 2.0.0 <b onmouseover=alert(1)>queued</b> as 4F2A";
    private static int _octet;

    /// <summary>A confirmed case and notices to it in the given states (queued ones due in a year, so no job sends them).</summary>
    private async Task<(int CaseId, List<long> Ids)> NoticesAsync(params string[] states)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var caseId = await NoticeRig.SeedCaseAsync(db, now, $"192.0.2.{Interlocked.Increment(ref _octet)}", CaseState.Confirmed, "abuse@outbox.example");
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        var notices = new List<Notice>();
        foreach (var state in states)
        {
            var approved = state == NoticeState.AwaitingApproval ? null : "operator:test";
            var n = CaseWorkflow.PlanNotice(c, "FirstNotice", "abuse@outbox.example", null, approved, null, now.AddYears(1), "test", "test", now);
            db.Notices.Add(n);
            if (state == NoticeState.Sent) CaseWorkflow.NoticeSent(c, n, "smarthost", HostileReply, new RetestOptions(), now);
            else if (state is not (NoticeState.Queued or NoticeState.AwaitingApproval))
            {
                n.State = state;
                n.NextAttemptAt = null;
                n.LastError = $"{state} in the test";
            }
            notices.Add(n);
        }
        await db.SaveChangesAsync();
        return (caseId, notices.Select(n => n.Id).ToList());
    }

    [Fact]
    public async Task Get_ListsNoticesAfterApprovalNewestFirst_WithTheSmarthostReplyEncoded()
    {
        var (caseId, ids) = await NoticesAsync(NoticeState.Queued, NoticeState.Sent, NoticeState.AwaitingApproval, NoticeState.Failed);
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync("/outbox");

        var (queued, sent, awaiting, failed) = (ids[0], ids[1], ids[2], ids[3]);
        Assert.DoesNotContain($"data-notice-id=\"{awaiting}\"", html, StringComparison.Ordinal);
        var order = NoticeRowRegex().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([failed, sent, queued], order.Where(ids.Contains).ToList());
        Assert.Contains($"<a href=\"/cases/{caseId}#notice-{sent}\">{CaseReference.Format(caseId)}</a>", html, StringComparison.Ordinal);
        Assert.Contains("out-state-sent", html, StringComparison.Ordinal);
        Assert.Contains("smarthost", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b onmouseover", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b onmouseover=alert(1)&gt;queued&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("failed in the test", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ShowsOnlyTheState_WhenFilteredByState()
    {
        var (_, ids) = await NoticesAsync(NoticeState.Interrupted, NoticeState.Cancelled, NoticeState.AwaitingApproval);
        var client = await DashboardSession.SignedInAsync(factory);

        var interrupted = await client.GetStringAsync("/outbox?state=interrupted");
        var awaiting = await client.GetStringAsync("/outbox?state=awaiting-approval");
        var bad = await client.GetStringAsync("/outbox?state=lost");

        Assert.Contains($"data-notice-id=\"{ids[0]}\"", interrupted, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-notice-id=\"{ids[1]}\"", interrupted, StringComparison.Ordinal);
        Assert.DoesNotContain("out-state-cancelled", interrupted, StringComparison.Ordinal);
        Assert.Contains($"data-notice-id=\"{ids[2]}\"", awaiting, StringComparison.Ordinal);
        Assert.Contains("state: &quot;lost&quot; is no notice state", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PagesOlderNotices_BehindTheOlderLink()
    {
        var (_, ids) = await NoticesAsync(Enumerable.Repeat(NoticeState.Rejected, OutboxModelPageSize + 1).ToArray());
        var client = await DashboardSession.SignedInAsync(factory);

        var first = await client.GetStringAsync("/outbox?state=rejected");
        var older = OlderLinkRegex().Match(first);
        var second = await client.GetStringAsync(System.Net.WebUtility.HtmlDecode(older.Groups[1].Value));

        Assert.Equal(OutboxModelPageSize, NoticeRowRegex().Count(first));
        Assert.DoesNotContain($"data-notice-id=\"{ids[0]}\"", first, StringComparison.Ordinal);
        Assert.True(older.Success);
        Assert.Single(NoticeRowRegex().Matches(second));
        Assert.Contains($"data-notice-id=\"{ids[0]}\"", second, StringComparison.Ordinal);
        Assert.DoesNotMatch(OlderLinkRegex(), second);
    }

    private const int OutboxModelPageSize = Notifier.Pages.OutboxModel.PageSize;

    [GeneratedRegex("data-notice-id=\"(\\d+)\"")]
    private static partial Regex NoticeRowRegex();

    [GeneratedRegex("<a href=\"([^\"]+)\">Older</a>")]
    private static partial Regex OlderLinkRegex();
}
