using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Pages;

namespace Notifier.Tests.Cases;

/// <summary>Who gets the follow-ups a retest asks for.</summary>
public sealed class FollowUpNoticesTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    [Fact]
    public async Task PlanStillOpen_SkipsTheContact_WhenItWasDisabledForTheCaseAfterItWasTold()
    {
        var c = await CaseSeed.AddAsync(factory, shape: x => x.State = CaseState.Monitoring, rows: (db, x) =>
        {
            db.CaseContacts.Add(CaseSeed.Contact(x, "noc@disabled-later.example", status: "operator-disabled"));
            db.Notices.Add(CaseSeed.Notice(x, NoticeState.Sent, recipient: "noc@disabled-later.example", sentAt: DateTimeOffset.UtcNow.AddDays(-30)));
        });
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var tracked = await db.Cases.SingleAsync(x => x.Id == c.Id);

        var planned = await scope.ServiceProvider.GetRequiredService<FollowUpNotices>().PlanStillOpenAsync(tracked, renotify: false, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Empty(planned);
        Assert.Contains(tracked.Events, e => e.Summary.Contains("noc@disabled-later.example: disabled for this case", StringComparison.Ordinal));
    }
}
