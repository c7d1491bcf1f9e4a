using System.Net;
using System.Text.RegularExpressions;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Inbox;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>The queue (home page): each section shows the cases that need a person for its reason, and no others.</summary>
public sealed partial class QueuePageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    /// <summary>Long before any other test's cases, so the seeded ones are the section's first rows (waiting longest).</summary>
    private static readonly DateTimeOffset LongAgo = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<Dictionary<string, Case>> SeedOnePerSectionAsync()
    {
        var now = DateTimeOffset.UtcNow;
        void Old(Case c) => c.UpdatedAt = LongAgo;
        var seeded = new Dictionary<string, Case>
        {
            ["replies"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Monitoring; c.NeedsAttention = true; }, rows: (db, c) =>
            {
                CaseWorkflow.MailReceived(c, CaseEventKind.Reply, "Reply from owner@example.net (fixed): \"done\"", true, LongAgo);
                c.UpdatedAt = LongAgo;
                db.InboundMessages.Add(new InboundMessage
                {
                    Folder = "INBOX",
                    Uid = c.Id,
                    Sha256 = $"{c.Id:x64}",
                    Headers = "",
                    Raw = [],
                    Class = InboundClass.Reply,
                    Intent = ReplyIntent.Fixed,
                    CaseId = c.Id,
                    FetchedAt = now,
                    ProcessedAt = now,
                });
            }),
            ["approval"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Notifying; },
                rows: (db, c) => db.Notices.Add(CaseSeed.Notice(c, NoticeState.AwaitingApproval))),
            ["failed"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Confirmed; },
                rows: (db, c) => db.Notices.Add(CaseSeed.Notice(c, NoticeState.Failed))),
            ["drops"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Unconfirmed; }),
            ["no-contact"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Confirmed; }, rows: (db, c) =>
                db.CaseContactLookups.Add(new CaseContactLookup { CaseId = c.Id, Ip = c.Address, StartedAt = now, FinishedAt = now, Chosen = null })),
            ["overdue-retests"] = await CaseSeed.AddAsync(factory, shape: c =>
            {
                Old(c);
                c.State = CaseState.Monitoring;
                c.NextAction = CaseAction.Retest;
                c.NextActionAt = now - TimeSpan.FromHours(1);
            }),
            ["escalations"] = await CaseSeed.AddAsync(factory, shape: c => { Old(c); c.State = CaseState.Monitoring; }, rows: (db, c) =>
            {
                for (var i = 0; i < 3; i++) db.Notices.Add(CaseSeed.Notice(c, NoticeState.Sent, i == 0 ? "FirstNotice" : "StillOpen", sentAt: now.AddDays(-30 + i)));
            }),
        };
        return seeded;
    }

    [Fact]
    public async Task Queue_ShowsEachCaseInItsOwnSectionOnly_WhenEachSectionHasOne()
    {
        var seeded = await SeedOnePerSectionAsync();
        var (_, client) = await factory.OperatorAsync();

        var html = await client.GetStringAsync("/");

        foreach (var section in CaseQueueSection.All)
        {
            var body = Section(html, section.Id);
            Assert.Contains(section.Title, body);
            foreach (var (id, c) in seeded)
            {
                if (id == section.Id) Assert.Contains($"data-case-id=\"{c.Id}\"", body);
                else Assert.DoesNotContain($"data-case-id=\"{c.Id}\"", body);
            }
            Assert.Contains($"/cases?section={section.Id}", body);
        }
        Assert.Contains("intent-fixed", Section(html, "replies"));
        Assert.Contains("FirstNotice to abuse@example.net awaits approval", Section(html, "approval"));
        Assert.Contains("3 notices ignored", Section(html, "escalations"));
    }

    [Fact]
    public async Task Queue_SeeAllLinkListsExactlyTheSectionsCases_WhenFollowed()
    {
        var seeded = await SeedOnePerSectionAsync();
        var (_, client) = await factory.OperatorAsync();

        var list = await client.GetStringAsync("/cases?section=drops");

        Assert.Contains($"data-case-id=\"{seeded["drops"].Id}\"", list);
        Assert.DoesNotContain($"data-case-id=\"{seeded["approval"].Id}\"", list);
        Assert.DoesNotContain($"data-case-id=\"{seeded["replies"].Id}\"", list);
    }

    [Fact]
    public async Task Queue_SaysASectionIsEmpty_WhenNoCaseIsInIt()
    {
        await using var empty = new QueueNotifierFactory();
        var (_, client) = await empty.OperatorAsync();

        var html = await client.GetStringAsync("/");

        foreach (var section in CaseQueueSection.All) Assert.Contains(section.Empty, Section(html, section.Id));
    }

    [Fact]
    public async Task Queue_ShowsTheSameSectionsToAViewer_WithoutActions()
    {
        var seeded = await SeedOnePerSectionAsync();
        var (_, viewer) = await factory.ViewerAsync();

        var r = await viewer.GetAsync("/");
        var html = await r.Content.ReadAsStringAsync();
        var list = await viewer.GetStringAsync("/cases?section=approval");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains($"data-case-id=\"{seeded["approval"].Id}\"", Section(html, "approval"));
        Assert.Contains($"data-case-id=\"{seeded["approval"].Id}\"", list);
        Assert.DoesNotContain(">Approve</button>", list);
        Assert.DoesNotContain("name=\"ids\"", list);
    }

    private static string Section(string html, string id)
    {
        var m = Regex.Match(html, $"<section id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</section>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no section {id}");
        return m.Groups[1].Value;
    }
}
