using Notifier.Cases;
using Notifier.Tests.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// How the queue counts a section on each provider: exactly up to the board's limit, and past it "limit+" (the
/// database stops counting there), with the rows the same either way: the open cases waiting longest.
/// </summary>
public sealed class CaseQueueBoardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Approvals_AreCountedUpToTheLimit_AndShownOldestFirstEitherWay(string provider)
    {
        await using var database = await MigratedDatabase.CreateAsync(provider, "notifier-queue-board-");
        var open = new List<int>();
        await using (var db = database.Context())
        {
            // Five open cases with a notice awaiting approval, changed an hour apart (the first waits longest), and a
            // closed one that still has one: closed cases are in no section.
            for (var i = 0; i < 6; i++)
            {
                var address = $"192.0.2.{60 + i}";
                var c = CaseWorkflow.Open(address, 25, address + ":25", "test", null, "test", T0 + TimeSpan.FromHours(i));
                c.State = i == 5 ? CaseState.Closed : CaseState.Notifying;
                db.Cases.Add(c);
                await db.SaveChangesAsync();
                db.Notices.Add(new Notice
                {
                    CaseId = c.Id,
                    Recipient = "abuse@example.net",
                    Kind = "FirstNotice",
                    State = NoticeState.AwaitingApproval,
                    CaseStateAtPlan = CaseState.Confirmed,
                    CreatedAt = c.UpdatedAt,
                });
                await db.SaveChangesAsync();
                if (i < 5) open.Add(c.Id);
            }
        }

        await using var read = database.Context();
        var limited = (await CaseQueueBoard.LoadAsync(read, new RetestOptions(), T0 + TimeSpan.FromDays(1), CancellationToken.None, countedUpTo: 3))
            .Single(s => s.Section == CaseQueueSection.Approval);
        var exact = (await CaseQueueBoard.LoadAsync(read, new RetestOptions(), T0 + TimeSpan.FromDays(1), CancellationToken.None))
            .Single(s => s.Section == CaseQueueSection.Approval);

        Assert.True(limited.MoreThanCounted);
        Assert.Equal("3+", limited.CountText);
        Assert.Equal(open, limited.Rows.Select(r => r.Case.Id));
        Assert.False(exact.MoreThanCounted);
        Assert.Equal(5, exact.Count);
        Assert.Equal("5", exact.CountText);
        Assert.Equal(open, exact.Rows.Select(r => r.Case.Id));
    }

    [Fact]
    public void CountText_IsTheLimitWithAPlus_PastTheDefaultLimit()
    {
        Assert.Equal("1,000+", new CaseQueueView(CaseQueueSection.Approval, CaseQueueBoard.CountedUpTo + 1, []).CountText);
        Assert.Equal("1,000", new CaseQueueView(CaseQueueSection.Approval, CaseQueueBoard.CountedUpTo, []).CountText);
    }
}
