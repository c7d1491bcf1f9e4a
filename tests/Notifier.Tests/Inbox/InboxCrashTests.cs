using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Inbox;

/// <summary>A poll that dies between fetch and commit, or between commit and move: each message is acted on once.</summary>
[Collection(LabCollection.Name)]
public sealed class InboxCrashTests(Notifier.Tests.Lab.Lab lab)
{
    private sealed class SimulatedCrashException : Exception;

    private async Task<ImapClient> DeskAsync()
    {
        var imap = lab.EndPoint("IMAP");
        var client = new ImapClient();
        await client.ConnectAsync(imap.Address.ToString(), imap.Port, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(lab["NOTIFIER_LAB_DESK_IMAP_USER"], lab["NOTIFIER_LAB_DESK_IMAP_PASSWORD"]);
        return client;
    }

    private async Task<string> AppendFixtureAsync(string fixture, int caseId)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", fixture));
        var messageId = $"crash.{Guid.NewGuid():n}@example.net";
        text = text.Replace("NR-000001", CaseReference.Format(caseId), StringComparison.Ordinal)
            .Replace("<20261126120000.1234.qmail@mx.example.net>", $"<{messageId}>", StringComparison.Ordinal);
        using var client = await DeskAsync();
        await client.Inbox.AppendAsync(MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))), MessageFlags.None);
        await client.DisconnectAsync(true);
        return messageId;
    }

    private async Task<int> InboxCountAsync(string messageId)
    {
        using var client = await DeskAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var n = (await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId))).Count;
        await client.DisconnectAsync(true);
        return n;
    }

    [Fact]
    public async Task Poll_ProcessesOnce_WhenCrashBetweenFetchAndCommit()
    {
        await using var h = await InboxHarness.CreateAsync(lab, user: "abuse");
        var (caseId, _) = await h.OpenCaseAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.10"), 25));
        var messageId = await AppendFixtureAsync("qmail-bounce.eml", caseId);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.PollAsync((_, processor) =>
            processor.BeforeCommit = row => row.MessageId == messageId ? throw new SimulatedCrashException() : Task.CompletedTask));
        Assert.Equal(1, await InboxCountAsync(messageId));
        await using (var scope = h.Scope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<NotifierDb>().InboundMessages.CountAsync(m => m.MessageId == messageId));

        await h.PollAsync();
        await h.PollAsync();

        Assert.Equal(0, await InboxCountAsync(messageId));
        await using var check = h.Scope();
        var db = check.ServiceProvider.GetRequiredService<NotifierDb>();
        Assert.Equal(1, await db.InboundMessages.CountAsync(m => m.MessageId == messageId));
        Assert.Equal(1, await db.ContactBounces.CountAsync(b => b.CaseId == caseId));
        Assert.Equal(1, await db.CaseEvents.CountAsync(e => e.CaseId == caseId && e.Kind == CaseEventKind.Bounce));
    }

    [Fact]
    public async Task Poll_MovesWithoutActingAgain_WhenCrashBetweenCommitAndMove()
    {
        await using var h = await InboxHarness.CreateAsync(lab, user: "abuse");
        var (caseId, _) = await h.OpenCaseAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.11"), 25));
        var messageId = await AppendFixtureAsync("qmail-bounce.eml", caseId);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.PollAsync((job, _) =>
            job.BeforeMove = row => row.MessageId == messageId ? throw new SimulatedCrashException() : Task.CompletedTask));
        Assert.Equal(1, await InboxCountAsync(messageId));

        await h.PollAsync();

        Assert.Equal(0, await InboxCountAsync(messageId));
        await using var check = h.Scope();
        var db = check.ServiceProvider.GetRequiredService<NotifierDb>();
        var row = await db.InboundMessages.SingleAsync(m => m.MessageId == messageId);
        Assert.Equal("Notifier/Processed", row.MovedTo);
        Assert.Equal(1, await db.ContactBounces.CountAsync(b => b.CaseId == caseId));
        Assert.Equal(1, await db.CaseEvents.CountAsync(e => e.CaseId == caseId && e.Kind == CaseEventKind.Bounce));
    }
}
