using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Cases;
using Notifier.Inbox;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>A note to the desk (<c>/r/&lt;token&gt;/note</c>): kept as a reply on the case, shown to operators like a mailed one.</summary>
public sealed class NotePageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, OwnerSeed seed, string text) =>
        PageForm.PostAsync(client, seed.Url("note"), seed.Url("note"), new Dictionary<string, string> { ["Text"] = text });

    [Fact]
    public async Task Post_KeepsTheNoteAsAReplyOnTheCase_WhereTheOperatorReadsIt()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "postmaster@note.example");
        var response = await SendAsync(OwnerSeed.Anonymous(factory), seed, "We moved the MTA behind a firewall.\nPlease check again next week.");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("your note is on the case", await response.Content.ReadAsStringAsync());
        var row = await CaseSeed.ReadAsync(factory, db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.CaseId == seed.CaseId));
        Assert.Equal((InboundClass.Reply, OwnerNotes.Folder, "postmaster@note.example"), (row.Class, row.Folder, row.FromAddress));
        var message = await MimeMessage.LoadAsync(new MemoryStream(row.Raw));
        Assert.Equal("owner-page", message.Headers[OwnerNotes.SourceHeader]);
        Assert.Contains("behind a firewall", message.TextBody);
        Assert.True((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
        Assert.True(await OwnerActionsRig.InRepliesSectionAsync(factory, seed));
        var (_, desk) = await factory.OperatorAsync();
        var casePage = await desk.GetStringAsync($"/cases/{seed.CaseId}");
        Assert.Contains("We moved the MTA behind a firewall.", casePage);
        Assert.Contains(OwnerNotes.Subject, casePage);
    }

    [Fact]
    public async Task Post_ClassifiesTheNotesIntent_AsAMailedReplysIsClassified()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "postmaster@wrong.example");
        await SendAsync(OwnerSeed.Anonymous(factory), seed, "We have fixed it: relaying is now disabled.");

        var row = await CaseSeed.ReadAsync(factory, db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.CaseId == seed.CaseId));
        Assert.Equal(ReplyIntent.Fixed, row.Intent);
        Assert.Contains(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.Retest), e => e.Summary.Contains("says it is fixed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_RefusesTheNoteAndKeepsTheText_WhenItIsLongerThanTheLimit()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var text = new string('a', OwnerNotes.MaxLength + 1);
        var html = await (await SendAsync(OwnerSeed.Anonymous(factory), seed, text)).Content.ReadAsStringAsync();

        Assert.Contains($"Please keep the note to {OwnerNotes.MaxLength} characters.", html);
        Assert.Contains(text, html);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.InboundMessages.AnyAsync(m => m.CaseId == seed.CaseId)));
    }

    [Fact]
    public async Task Post_Answers400AndStoresNothing_WithoutTheAntiforgeryToken()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var response = await OwnerSeed.Anonymous(factory).PostAsync(seed.Url("note"), new FormUrlEncodedContent(new Dictionary<string, string> { ["Text"] = "hello" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.InboundMessages.AnyAsync(m => m.CaseId == seed.CaseId)));
    }
}
