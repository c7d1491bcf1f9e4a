using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>"Don't contact us again" (<c>/r/&lt;token&gt;/opt-out</c>): a reason, a confirmation, then the address is suppressed and the desk told.</summary>
public sealed class OptOutPageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    [Fact]
    public async Task PostConfirm_SuppressesTheAddressAndFlagsTheCase_WhenConfirmedWithAReason()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@opt-out-page.example");
        var client = OwnerSeed.Anonymous(factory);

        var asked = await OwnerActionsRig.AskAsync(client, seed, "opt-out", "this mailbox is not read");
        var done = await OwnerActionsRig.ConfirmAsync(client, seed, "opt-out", "this mailbox is not read");

        Assert.Contains("Yes, stop writing to us", await asked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("is on our do-not-contact list", await done.Content.ReadAsStringAsync());
        var s = await CaseSeed.ReadAsync(factory, db => db.Suppressions.AsNoTracking().SingleAsync(x => x.Value == "abuse@opt-out-page.example"));
        Assert.Equal("owner:abuse@opt-out-page.example", s.AddedBy);
        Assert.Contains("this mailbox is not read", s.Reason);
        Assert.True((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
        Assert.Contains("this mailbox is not read", Assert.Single(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.OwnerOptOut)).Summary);
        Assert.True(await OwnerActionsRig.InRepliesSectionAsync(factory, seed));
        Assert.Contains("is already on our do-not-contact list", await client.GetStringAsync(seed.Url("opt-out")));
    }

    [Fact]
    public async Task PostConfirm_StopsTheNextNotice_WhenTheAddressOptedOut()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@next-notice.example");
        long noticeId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = await db.Cases.SingleAsync(x => x.Id == seed.CaseId);
            var n = CaseSeed.Notice(c, NoticeState.Queued, kind: "Reminder", recipient: "abuse@next-notice.example");
            n.CaseContactId = seed.ContactId;
            db.Notices.Add(n);
            await db.SaveChangesAsync();
            noticeId = n.Id;
        }

        await OwnerActionsRig.ConfirmAsync(OwnerSeed.Anonymous(factory), seed, "opt-out", "no more mail please");
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<NoticeJob>().RunAsync(noticeId, CancellationToken.None);

        var notice = await CaseSeed.ReadAsync(factory, db => db.Notices.AsNoTracking().SingleAsync(x => x.Id == noticeId));
        Assert.Equal(NoticeState.Cancelled, notice.State);
        Assert.Null(notice.SentAt);
    }

    [Fact]
    public async Task Post_ChangesNothing_WithoutTheConfirmStep()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@one-post.example");
        var response = await OwnerActionsRig.AskAsync(OwnerSeed.Anonymous(factory), seed, "opt-out", "stop");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.Suppressions.AnyAsync(x => x.Value == "abuse@one-post.example")));
        Assert.False((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
    }

    [Fact]
    public async Task PostConfirm_AsksForTheReasonAndChangesNothing_WhenTheReasonIsEmpty()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@no-reason.example");
        var html = await (await OwnerActionsRig.ConfirmAsync(OwnerSeed.Anonymous(factory), seed, "opt-out", "")).Content.ReadAsStringAsync();

        Assert.Contains("Please give a reason.", html);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.Suppressions.AnyAsync(x => x.Value == "abuse@no-reason.example")));
    }

    [Fact]
    public async Task PostConfirm_Answers400AndChangesNothing_WithoutTheAntiforgeryToken()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@csrf.example");
        var response = await OwnerSeed.Anonymous(factory).PostAsync(seed.Url("opt-out") + "?handler=Confirm",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "stop" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.Suppressions.AnyAsync(x => x.Value == "abuse@csrf.example")));
    }

    [Fact]
    public async Task PostConfirm_Answers410AndChangesNothing_WhenTheLinkWasRevoked()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@revoked-page.example");
        var client = OwnerSeed.Anonymous(factory);
        var page = await client.GetStringAsync(seed.Url("opt-out"));
        await CaseSeed.ReadAsync(factory, db => db.OwnerLinks.Where(l => l.Id == seed.LinkId).ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, DateTimeOffset.UtcNow)));

        var response = await client.PostAsync(seed.Url("opt-out") + "?handler=Confirm", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Reason"] = "stop",
            ["__RequestVerificationToken"] = DashboardSession.Token(page),
        }));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.Suppressions.AnyAsync(x => x.Value == "abuse@revoked-page.example")));
    }
}
