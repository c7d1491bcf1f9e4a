using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Inbox;

/// <summary>
/// The inbox API over the real service and a real SQLite file. Mail gets in through the service's own
/// InboxProcessor (as the poll job hands it over); cases are documentation addresses with nothing due, so the
/// dispatcher leaves them alone until a reply's intent asks for a retest.
/// </summary>
public sealed class InboxApiTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private static long _uid = 1000;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    /// <summary>A Suspected case for a documentation address with nothing due.</summary>
    private Task<Case> CaseAsync() => DbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var octet = Interlocked.Increment(ref _uid) % 250 + 1;
        var c = CaseWorkflow.Open($"192.0.2.{octet}", 25, $"192.0.2.{octet}:{Guid.NewGuid():N}"[..40], "test", null, "test", now);
        c.State = CaseState.Suspected;
        c.NextAction = null;
        c.NextActionAt = null;
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return c;
    });

    private static byte[] Mail(string from, string subject, string body, params (string Name, string Value)[] headers)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse("abuse@desk.test"));
        m.Subject = subject;
        m.MessageId = $"{Guid.NewGuid():N}@sender.example";
        m.Date = DateTimeOffset.UtcNow;
        foreach (var (name, value) in headers) m.Headers.Add(name, value);
        m.Body = new TextPart("plain") { Text = body };
        using var stream = new MemoryStream();
        m.WriteTo(stream);
        return stream.ToArray();
    }

    private async Task<InboundMessage> ReceiveAsync(byte[] raw)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var (row, _, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>()
            .ProcessAsync(raw, "INBOX", 1, Interlocked.Increment(ref _uid), CancellationToken.None);
        return row;
    }

    private Task<InboundMessage> ReplyAsync(Case c, string from, string body) =>
        ReceiveAsync(Mail(from, $"Re: [{c.Reference}] Open mail relay at {c.Address}", body));

    /// <summary>A reply from a contact of the case that our trusted receiver authenticated (DKIM pass for its domain).</summary>
    private async Task<InboundMessage> GenuineReplyAsync(Case c, string from, string body)
    {
        await DbAsync(db =>
        {
            if (!db.CaseContacts.Any(x => x.CaseId == c.Id && x.Address == from)) db.CaseContacts.Add(TestContacts.Of(c.Id, from));
            return db.SaveChangesAsync();
        });
        return await ReceiveAsync(Mail(from, $"Re: [{c.Reference}] Open mail relay at {c.Address}", body, ("Authentication-Results", TestContacts.DkimPass(from))));
    }

    private static Task<HttpResponseMessage> PutIntentAsync(HttpClient client, long id, string intent) =>
        client.PutAsJsonAsync($"/api/inbox/messages/{id}/intent", new { intent });

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@small-biz.example";

    [Fact]
    public async Task InboxApi_401_WithoutKey_403_WhenReadKeyChangesIntent()
    {
        var c = await CaseAsync();
        var row = await ReplyAsync(c, Unique("ops"), "Thanks, we will look.");
        var anonymous = factory.CreateClient();
        var read = await factory.ClientWithKeyAsync(ApiScope.Read);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/inbox/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/inbox/messages/{row.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/inbox/messages/{row.Id}/raw")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutIntentAsync(anonymous, row.Id, ReplyIntent.Fixed)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutIntentAsync(read, row.Id, ReplyIntent.Fixed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"/api/inbox/messages/{row.Id}")).StatusCode);
        Assert.Equal(ReplyIntent.Other, (await DbAsync(db => db.InboundMessages.SingleAsync(m => m.Id == row.Id))).Intent);
    }

    [Fact]
    public async Task InboxApi_404_WhenMessageDoesNotExist()
    {
        var client = await factory.ClientWithKeyAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/inbox/messages/987654321")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/inbox/messages/987654321/raw")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutIntentAsync(client, 987654321, ReplyIntent.Other)).StatusCode);
    }

    [Theory]
    [InlineData("replies")]
    [InlineData("REPLY")]
    [InlineData("")]
    public async Task ListMessages_400_WhenClassIsUnknown(string @class)
    {
        var client = await factory.ClientWithKeyAsync(ApiScope.Read);

        var r = await client.GetAsync($"/api/inbox/messages?class={Uri.EscapeDataString(@class)}");

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("forged-canary", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fixed")]
    [InlineData("unsubscribe")]
    [InlineData(null)]
    public async Task PutIntent_400_WhenIntentIsUnknown(string? intent)
    {
        var c = await CaseAsync();
        var row = await ReplyAsync(c, Unique("ops"), "Thanks.");
        var client = await factory.ClientWithKeyAsync();

        var r = await client.PutAsJsonAsync($"/api/inbox/messages/{row.Id}/intent", new { intent });

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(ReplyIntent.Other, (await DbAsync(db => db.InboundMessages.SingleAsync(m => m.Id == row.Id))).Intent);
    }

    [Fact]
    public async Task PutIntent_409_WhenMessageIsNotAReply()
    {
        var c = await CaseAsync();
        var vacation = await ReceiveAsync(Mail(Unique("away"), $"Out of office: [{c.Reference}]", "I am away.", ("Auto-Submitted", "auto-replied")));
        Assert.Equal(InboundClass.AutoReply, vacation.Class);
        var client = await factory.ClientWithKeyAsync();

        var r = await PutIntentAsync(client, vacation.Id, ReplyIntent.Fixed);

        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
    }

    [Fact]
    public async Task ListAndGet_FilterByClassAndCase_AndReturnHeadersAndRawBytes()
    {
        var c = await CaseAsync();
        var other = await CaseAsync();
        var raw = Mail(Unique("ops"), $"Re: [{c.Reference}] Open mail relay", "We are checking.");
        var reply = await ReceiveAsync(raw);
        await ReceiveAsync(Mail(Unique("away"), $"Automatic reply: [{c.Reference}]", "Away.", ("Auto-Submitted", "auto-replied")));
        await ReplyAsync(other, Unique("ops"), "Not ours.");
        var client = await factory.ClientWithKeyAsync(ApiScope.Read);

        var all = await JsonAsync(await client.GetAsync($"/api/inbox/messages?caseId={c.Id}"));
        var replies = await JsonAsync(await client.GetAsync($"/api/inbox/messages?caseId={c.Id}&class=reply"));
        var one = await JsonAsync(await client.GetAsync($"/api/inbox/messages/{reply.Id}"));
        var rawResponse = await client.GetAsync($"/api/inbox/messages/{reply.Id}/raw");

        Assert.Equal(["auto-reply", "reply"], all.EnumerateArray().Select(m => m.GetProperty("class").GetString()));
        var only = Assert.Single(replies.EnumerateArray());
        Assert.Equal(reply.Id, only.GetProperty("id").GetInt64());
        Assert.Equal(ReplyIntent.Other, only.GetProperty("intent").GetString());
        Assert.Equal(c.Id, one.GetProperty("message").GetProperty("caseId").GetInt32());
        Assert.Contains($"Subject: Re: [{c.Reference}] Open mail relay", one.GetProperty("headers").GetString(), StringComparison.Ordinal);
        Assert.Equal("message/rfc822", rawResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(raw, await rawResponse.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PutIntent_SchedulesRetest_WhenChangedToFixed()
    {
        var c = await CaseAsync();
        var row = await ReplyAsync(c, Unique("ops"), "We had a look.");
        var client = await factory.ClientWithKeyAsync();

        var r = await PutIntentAsync(client, row.Id, ReplyIntent.Fixed);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(ReplyIntent.Fixed, (await JsonAsync(r)).GetProperty("intent").GetString());
        var events = await DbAsync(db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).ToListAsync());
        var change = Assert.Single(events, e => e.Kind == CaseEventKind.ReplyIntent);
        Assert.Contains("intent changed from other to fixed", change.Summary, StringComparison.Ordinal);
        Assert.Contains("retest requested", change.Summary, StringComparison.Ordinal);
        Assert.StartsWith("api:", change.Actor, StringComparison.Ordinal);
        // The real dispatcher picks the retest up: a probe is queued for the case (and refused: a documentation address).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); // generous: a loaded 2-core CI machine runs many job servers at once
        while (!await DbAsync(db => db.Probes.AnyAsync(p => p.CaseId == c.Id)) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(await DbAsync(db => db.Probes.AnyAsync(p => p.CaseId == c.Id)), "no retest was queued");

        // Setting the same intent again changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, row.Id, ReplyIntent.Fixed)).StatusCode);
        Assert.Single(await DbAsync(db => db.CaseEvents.Where(e => e.CaseId == c.Id && e.Kind == CaseEventKind.ReplyIntent).ToListAsync()));
    }

    [Fact]
    public async Task PutIntent_AddsThenRemovesSuppression_WhenChangedToOptOutAndBack()
    {
        var c = await CaseAsync();
        var sender = Unique("owner");
        var row = await ReplyAsync(c, sender, "Who are you?");
        var client = await factory.ClientWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, row.Id, ReplyIntent.OptOut)).StatusCode);
        var s = await DbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(x => x.Value == sender));
        Assert.Equal(row.Id, s.InboundMessageId);
        Assert.StartsWith("api:", s.AddedBy, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, row.Id, ReplyIntent.Other)).StatusCode);
        Assert.False(await DbAsync(db => db.Suppressions.AnyAsync(x => x.Value == sender)));
        var events = await DbAsync(db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id && e.Kind == CaseEventKind.ReplyIntent).OrderBy(e => e.Id).ToListAsync());
        Assert.Collection(events,
            e => Assert.Contains($"{sender} suppressed", e.Summary, StringComparison.Ordinal),
            e => Assert.Contains($"suppression of {sender} removed (this reply had added it)", e.Summary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutIntent_RemovesInboxSuppression_OnlyWhenNoOtherReplyOptsOut()
    {
        var c = await CaseAsync();
        var sender = Unique("owner");
        var first = await GenuineReplyAsync(c, sender, "Please remove me from your mailing list.");
        var second = await GenuineReplyAsync(c, sender, "Stop sending these. Unsubscribe.");
        Assert.Equal((ReplyIntent.OptOut, ReplyIntent.OptOut), (first.Intent, second.Intent));
        Assert.Equal(first.Id, (await DbAsync(db => db.Suppressions.SingleAsync(x => x.Value == sender))).InboundMessageId);
        var client = await factory.ClientWithKeyAsync();

        // The second reply also opts out: the suppression stays and is handed over to it.
        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, first.Id, ReplyIntent.Abusive)).StatusCode);
        var kept = await DbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(x => x.Value == sender));
        Assert.Equal(second.Id, kept.InboundMessageId);

        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, second.Id, ReplyIntent.WrongContact)).StatusCode);
        Assert.False(await DbAsync(db => db.Suppressions.AnyAsync(x => x.Value == sender)));
        var summaries = await DbAsync(db => db.CaseEvents.Where(e => e.CaseId == c.Id && e.Kind == CaseEventKind.ReplyIntent).OrderBy(e => e.Id).Select(e => e.Summary).ToListAsync());
        Assert.Contains($"{sender} stays suppressed: reply {second.Id} from that address also opts out", summaries[0], StringComparison.Ordinal);
        Assert.Contains($"suppression of {sender} removed", summaries[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutIntent_KeepsOperatorSuppression_WhenOptOutIsChangedAway()
    {
        var c = await CaseAsync();
        var sender = Unique("owner");
        var client = await factory.ClientWithKeyAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/suppressions", new { value = sender, reason = "asked by phone" })).StatusCode);
        var row = await ReplyAsync(c, sender, "Please remove me from your mailing list.");
        Assert.Equal(ReplyIntent.OptOut, row.Intent);

        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, row.Id, ReplyIntent.Other)).StatusCode);

        var s = await DbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(x => x.Value == sender));
        Assert.Equal("asked by phone", s.Reason);
        var e = await DbAsync(db => db.CaseEvents.SingleAsync(x => x.CaseId == c.Id && x.Kind == CaseEventKind.ReplyIntent));
        Assert.Contains("was not added by this reply", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutIntent_ReranksOpenCaseContacts_WhenSuppressionChanges()
    {
        var c = await CaseAsync();
        var sender = Unique("abuse");
        await DbAsync(async db =>
        {
            db.CaseContactLookups.Add(new CaseContactLookup { CaseId = c.Id, Ip = c.Address, ConfirmedDomains = "" });
            db.ManualContactRules.Add(new ManualContactRule { Address = sender, Action = "add", Scope = "case", CaseId = c.Id, AddedBy = "operator:test", AddedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            var contacts = new CaseContacts(db);
            await contacts.RerankAsync(c.Id, DateTimeOffset.UtcNow, CancellationToken.None);
            return await db.SaveChangesAsync();
        });
        var row = await ReplyAsync(c, sender, "We will look at it.");
        var client = await factory.ClientWithKeyAsync();

        await PutIntentAsync(client, row.Id, ReplyIntent.OptOut);
        var suppressed = await DbAsync(db => db.CaseContacts.AsNoTracking().SingleAsync(x => x.CaseId == c.Id && x.Address == sender));
        await PutIntentAsync(client, row.Id, ReplyIntent.Other);
        var active = await DbAsync(db => db.CaseContacts.AsNoTracking().SingleAsync(x => x.CaseId == c.Id && x.Address == sender));

        Assert.Equal("suppressed", suppressed.Status);
        Assert.Equal("active", active.Status);
    }

    [Fact]
    public async Task PutIntent_AppliesHeldOptOut_WhenOperatorSetsItAfterAForgedReply()
    {
        var c = await CaseAsync();
        var sender = Unique("abuse");
        await DbAsync(db =>
        {
            db.CaseContacts.Add(TestContacts.Of(c.Id, sender));
            return db.SaveChangesAsync();
        });
        // Right subject tag and a contact's address, but the "pass" is claimed by a receiver that is not ours.
        var row = await ReceiveAsync(Mail(sender, $"Re: [{c.Reference}] Open mail relay", "Unsubscribe.", ("Authentication-Results", "mx.attacker.example; dkim=pass header.d=small-biz.example")));
        Assert.False(await DbAsync(db => db.Suppressions.AnyAsync(x => x.Value == sender)));
        var client = await factory.ClientWithKeyAsync();
        var listed = await JsonAsync(await client.GetAsync($"/api/inbox/messages/{row.Id}"));
        Assert.Equal(ReplyIntent.OptOut, listed.GetProperty("message").GetProperty("heldIntent").GetString());

        var r = await PutIntentAsync(client, row.Id, ReplyIntent.OptOut);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(r)).GetProperty("heldIntent").ValueKind);
        var s = await DbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(x => x.Value == sender));
        Assert.Equal(row.Id, s.InboundMessageId);
        Assert.StartsWith("api:", s.AddedBy, StringComparison.Ordinal);
        var e = await DbAsync(db => db.CaseEvents.SingleAsync(x => x.CaseId == c.Id && x.Kind == CaseEventKind.ReplyIntent));
        Assert.Contains($"held opt-out applied by api:", e.Summary, StringComparison.Ordinal);
        Assert.Contains($"{sender} suppressed", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutIntent_TakesNothingBack_WhenOperatorDropsAHeldOptOut()
    {
        var c = await CaseAsync();
        var sender = Unique("abuse");
        var row = await ReplyAsync(c, sender, "Unsubscribe.");
        Assert.Equal(ReplyIntent.OptOut, row.HeldIntent);
        var client = await factory.ClientWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await PutIntentAsync(client, row.Id, ReplyIntent.Other)).StatusCode);

        var m = await DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(x => x.Id == row.Id));
        Assert.Equal((ReplyIntent.Other, (string?)null), (m.Intent, m.HeldIntent));
        Assert.False(await DbAsync(db => db.Suppressions.AnyAsync(x => x.Value == sender)));
        var e = await DbAsync(db => db.CaseEvents.SingleAsync(x => x.CaseId == c.Id && x.Kind == CaseEventKind.ReplyIntent));
        Assert.Contains("the held opt-out was never applied: nothing to take back", e.Summary, StringComparison.Ordinal);
    }
}
