using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>"This is not our server" (<c>/r/&lt;token&gt;/not-ours</c>): a reason, a confirmation, then the contact is disabled for the case and the desk told.</summary>
public sealed class NotOursPageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    [Fact]
    public async Task PostConfirm_DisablesTheContactForTheCaseAndFlagsIt_WhenConfirmedWithAReason()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "noc@not-ours.example");
        var client = OwnerSeed.Anonymous(factory);

        var asked = await OwnerActionsRig.AskAsync(client, seed, "not-ours", "we sold this network in 2024");
        var askedHtml = await asked.Content.ReadAsStringAsync();
        var done = await OwnerActionsRig.ConfirmAsync(client, seed, "not-ours", "we sold this network in 2024");
        var doneHtml = await done.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Yes, mark it", askedHtml);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("gets no more notices about", doneHtml);
        var rule = await CaseSeed.ReadAsync(factory, db => db.ManualContactRules.AsNoTracking().SingleAsync(r => r.CaseId == seed.CaseId));
        Assert.Equal(("noc@not-ours.example", "disable", "case"), (rule.Address, rule.Action, rule.Scope));
        Assert.Contains("we sold this network in 2024", rule.Reason);
        Assert.True((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
        var e = Assert.Single(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.OwnerNotOurs));
        Assert.Contains("we sold this network in 2024", e.Summary);
        Assert.Equal("owner:noc@not-ours.example", e.Actor);
        Assert.True(await OwnerActionsRig.InRepliesSectionAsync(factory, seed));
        // Asked again: it says so, and nothing is added twice.
        Assert.Contains("is already marked as not responsible", await client.GetStringAsync(seed.Url("not-ours")));
    }

    [Fact]
    public async Task Post_ChangesNothing_WithoutTheConfirmStep()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var response = await OwnerActionsRig.AskAsync(OwnerSeed.Anonymous(factory), seed, "not-ours", "not ours");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.ManualContactRules.AnyAsync(r => r.CaseId == seed.CaseId)));
        Assert.False((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
        Assert.Empty(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.OwnerNotOurs));
    }

    [Theory]
    [InlineData("not-ours")]
    [InlineData("not-ours?handler=Confirm")]
    public async Task Post_AsksForTheReasonAndChangesNothing_WhenTheReasonIsEmpty(string action)
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var client = OwnerSeed.Anonymous(factory);
        var response = await PageForm.PostAsync(client, seed.Url("not-ours"), seed.Url(action), new Dictionary<string, string> { ["Reason"] = "  " });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("Please give a reason.", html);
        Assert.DoesNotContain("Yes, mark it", html);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.ManualContactRules.AnyAsync(r => r.CaseId == seed.CaseId)));
    }

    [Fact]
    public async Task Post_RefusesTheReason_WhenItIsLongerThanTheLimit()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var html = await (await OwnerActionsRig.ConfirmAsync(OwnerSeed.Anonymous(factory), seed, "not-ours", new string('x', OwnerActions.MaxReasonLength + 1))).Content.ReadAsStringAsync();

        Assert.Contains($"Please keep the reason to {OwnerActions.MaxReasonLength} characters.", html);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.ManualContactRules.AnyAsync(r => r.CaseId == seed.CaseId)));
    }

    [Fact]
    public async Task PostConfirm_Answers400AndChangesNothing_WithoutTheAntiforgeryToken()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var response = await OwnerSeed.Anonymous(factory).PostAsync(seed.Url("not-ours") + "?handler=Confirm",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "not ours" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.ManualContactRules.AnyAsync(r => r.CaseId == seed.CaseId)));
    }

    [Fact]
    public async Task Get_SpeaksGerman_WhenTheContactIsInGermany()
    {
        var seed = await OwnerSeed.CreateAsync(factory, country: "DE");
        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url("not-ours"));

        Assert.Contains("Das ist nicht unser Server", html);
        Assert.Contains("Warum ist er nicht Ihrer?", html);
    }
}
