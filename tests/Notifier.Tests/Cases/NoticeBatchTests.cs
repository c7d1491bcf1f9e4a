using System.Text;
using MimeKit;
using Notifier.Cases;

namespace Notifier.Tests.Cases;

/// <summary>
/// Batching: one contact responsible for several confirmed relays due at once gets one message listing them all (up
/// to Notices:MaxRelaysPerNotice, the rest in a CSV), and every case it covers is notified by it. Real SQLite, fake
/// time, the real templates and MIME builder, a recording sender.
/// </summary>
public sealed class NoticeBatchTests
{
    private const string Contact = "abuse@isp.example";
    private const string Other = "noc@isp.example";

    private static async Task<List<int>> CasesAsync(NoticeRig rig, int first, int count, string contact)
    {
        var cases = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var caseId = await rig.CaseWithContactsAsync($"192.0.2.{first + i}", CaseState.Confirmed, contact);
            await rig.PlanAsync(caseId);
            cases.Add(caseId);
        }
        return cases;
    }

    private static string Attachment(MimeMessage message, string fileNameEnd)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.FileName?.EndsWith(fileNameEnd, StringComparison.Ordinal) == true);
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return Encoding.UTF8.GetString(content.ToArray());
    }

    [Fact]
    public async Task NoticeJob_SendsOneMessageListingEveryRelayAndNotifiesEachCase_WhenOneContactHasThreeDueRelays()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var cases = await CasesAsync(rig, 60, 3, Contact);

        await rig.DispatchAndRunAsync();

        var (message, _, recipient) = Assert.Single(rig.Sender.Sent);
        Assert.Equal(Contact, recipient);
        foreach (var ip in new[] { "192.0.2.60", "192.0.2.61", "192.0.2.62" })
        {
            Assert.Contains(ip, message.TextBody, StringComparison.Ordinal);
            Assert.Contains(ip, Attachment(message, "-evidence.json"), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(message.Attachments.OfType<MimePart>(), a => a.FileName?.EndsWith(".csv", StringComparison.Ordinal) == true);
        var carrier = Assert.Single(await rig.NoticesAsync(cases[0]));
        Assert.Equal((NoticeState.Sent, message.MessageId), (carrier.State, carrier.MessageId));
        foreach (var caseId in cases.Skip(1))
        {
            var carried = Assert.Single(await rig.NoticesAsync(caseId));
            Assert.Equal((NoticeState.Carried, (long?)carrier.Id), (carried.State, carried.CarriedByNoticeId));
        }
        foreach (var caseId in cases)
        {
            var c = await rig.CaseAsync(caseId);
            Assert.Equal(CaseState.Monitoring, c.State);
            Assert.Contains(c.Events, e => e.Kind == CaseEventKind.NoticeSent && e.Summary.Contains(message.MessageId!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task NoticeJob_ListsTheCapAndAttachesTheRestAsCsv_WhenThereAreMoreRelaysThanMaxRelaysPerNotice()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"), ("Notices:MaxRelaysPerNotice", "2"));
        var cases = await CasesAsync(rig, 63, 3, Contact);

        await rig.DispatchAndRunAsync();

        var message = Assert.Single(rig.Sender.Sent).Message;
        Assert.Contains("192.0.2.63", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("192.0.2.64", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.65", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("192.0.2.65", Attachment(message, "-further-relays.csv"), StringComparison.Ordinal);
        Assert.Contains("192.0.2.65", Attachment(message, "-evidence.json"), StringComparison.Ordinal);
        Assert.Equal(CaseState.Monitoring, (await rig.CaseAsync(cases[2])).State);
    }

    [Fact]
    public async Task NoticeJob_DoesNotFoldANotice_WhenItStillAwaitsApproval()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var cases = await CasesAsync(rig, 66, 2, Contact);

        await rig.ApproveAllAsync(cases[0]);
        await rig.DispatchAndRunAsync();

        var message = Assert.Single(rig.Sender.Sent).Message;
        Assert.DoesNotContain("192.0.2.67", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(NoticeState.AwaitingApproval, Assert.Single(await rig.NoticesAsync(cases[1])).State);
        Assert.Equal(CaseState.Notifying, (await rig.CaseAsync(cases[1])).State);
    }

    [Fact]
    public async Task NoticeJob_SendsSeparateMessages_WhenTheRelaysHaveDifferentContacts()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        await CasesAsync(rig, 68, 1, Contact);
        await CasesAsync(rig, 69, 1, Other);

        await rig.DispatchAndRunAsync();

        Assert.Equal(2, rig.Sender.Sent.Count);
        var toContact = Assert.Single(rig.Sender.Sent, s => s.Recipient == Contact).Message;
        Assert.DoesNotContain("192.0.2.69", toContact.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoticeJob_SendsTheBatchOnce_WhenEveryNoticesJobRunsAgain()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var cases = await CasesAsync(rig, 70, 3, Contact);

        await rig.DispatchAndRunAsync();
        foreach (var caseId in cases)
            foreach (var n in await rig.NoticesAsync(caseId)) await rig.RunJobAsync(n.Id);
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.DispatchAndRunAsync();

        Assert.Single(rig.Sender.Sent);
        var states = new List<string>();
        foreach (var caseId in cases) states.AddRange((await rig.NoticesAsync(caseId)).Select(n => n.State));
        Assert.Equal([NoticeState.Sent, NoticeState.Carried, NoticeState.Carried], states);
    }

    [Fact]
    public async Task NoticeJob_FailsOverEveryCoveredCase_WhenTheBatchedMessageIsRejected()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var cases = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var caseId = await rig.CaseWithContactsAsync($"192.0.2.{73 + i}", CaseState.Confirmed, Contact, Other);
            await rig.PlanAsync(caseId);
            cases.Add(caseId);
        }
        rig.Sender.Answer = r => r == Contact
            ? new Notifier.Notices.NoticeDelivery(Notifier.Notices.NoticeDeliveryOutcome.Rejected, "550 5.1.1 user unknown")
            : new Notifier.Notices.NoticeDelivery(Notifier.Notices.NoticeDeliveryOutcome.Accepted, "250 2.0.0 Ok: queued");

        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([Contact, Other], rig.Sender.Sent.Select(s => s.Recipient));
        Assert.Equal([NoticeState.Rejected, NoticeState.Sent], (await rig.NoticesAsync(cases[0])).Select(n => n.State));
        Assert.Equal([NoticeState.Rejected, NoticeState.Carried], (await rig.NoticesAsync(cases[1])).Select(n => n.State));
    }
}
