using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Probing;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Inbox;

/// <summary>End to end on the loopback lab: real Postfix relays deliver test messages into real Dovecot, read over IMAP.</summary>
[Collection(LabCollection.Name)]
public sealed class InboxLabTests(Notifier.Tests.Lab.Lab lab)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(45);

    private static async Task RunProbeAsync(InboxHarness h, int probeId)
    {
        await using var scope = h.Scope();
        await scope.ServiceProvider.GetRequiredService<ProbeRun>().RunAsync(probeId, CancellationToken.None);
    }

    private static async Task<Case> CaseAsync(InboxHarness h, int caseId)
    {
        await using var scope = h.Scope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Cases.AsNoTracking()
            .Include(c => c.Probes).ThenInclude(p => p.TestMessages).Include(c => c.Events).SingleAsync(c => c.Id == caseId);
    }

    private async Task SendThroughSinkAsync(byte[] raw, string recipient)
    {
        using var smtp = new SmtpClient();
        var sink = lab.EndPoint("SINK");
        await smtp.ConnectAsync(sink.Address.ToString(), sink.Port, MailKit.Security.SecureSocketOptions.None);
        var message = MimeMessage.Load(new MemoryStream(raw));
        await smtp.SendAsync(message, MailboxAddress.Parse("relaytest@desk.test"), [MailboxAddress.Parse(recipient)]);
        await smtp.DisconnectAsync(true);
    }

    [Fact]
    public async Task Poll_ConfirmsProbeAndCase_WhenCanaryArrivesFromOpenRelay_AndRefusesReplayAndTamperedTokens()
    {
        await using var h = await InboxHarness.CreateAsync(lab);
        var (caseId, probeId) = await h.OpenCaseAsync(lab.EndPoint("OPEN"));

        await RunProbeAsync(h, probeId);
        var suspected = await CaseAsync(h, caseId);
        Assert.Equal(CaseState.Suspected, suspected.State);
        Assert.Equal(CaseAction.AwaitCanary, suspected.NextAction);
        var sent = Assert.Single(suspected.Probes.Single().TestMessages);
        Assert.Contains("DKIM-Signature:", JsonResult(suspected).TestMessage, StringComparison.Ordinal);

        var canary = await h.PollUntilAsync(db => db.InboundMessages.FirstOrDefaultAsync(m => m.Token == sent.Token), Arrival);
        Assert.NotNull(canary);
        Assert.Equal(InboundClass.Canary, canary.Class);
        var confirmed = await CaseAsync(h, caseId);
        Assert.Equal(CaseState.Confirmed, confirmed.State);
        Assert.Equal(CaseAction.LookupContacts, confirmed.NextAction);
        Assert.Equal(ProbeVerdict.Confirmed, confirmed.Probes.Single().Verdict);
        Assert.Equal(TestMessageStatus.Arrived, confirmed.Probes.Single().TestMessages.Single().Status);
        Assert.Equal("Notifier/Processed", canary.MovedTo);

        // The same canary delivered again (a replay) and one with a tampered token change nothing.
        await SendThroughSinkAsync(canary.Raw, $"relaytest+{sent.Token}@canary.test");
        var tampered = sent.Token![..^1] + (sent.Token[^1] == 'a' ? 'b' : 'a');
        var forgedRaw = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(canary.Raw).Replace(sent.Token, tampered, StringComparison.Ordinal));
        await SendThroughSinkAsync(forgedRaw, $"relaytest+{tampered}@canary.test");
        var forged = await h.PollUntilAsync(async db =>
        {
            var rows = await db.InboundMessages.Where(m => m.Class == InboundClass.ForgedCanary && (m.Token == sent.Token || m.Token == tampered)).ToListAsync();
            return rows.Count == 2 ? rows : null;
        }, Arrival);
        Assert.NotNull(forged);
        Assert.Contains(forged, m => m.Detail!.Contains("replayed", StringComparison.Ordinal));
        Assert.Contains(forged, m => m.Detail!.Contains("no test message of ours", StringComparison.Ordinal));
        var after = await CaseAsync(h, caseId);
        Assert.Equal(confirmed.Version, after.Version);
        Assert.Equal(confirmed.Events.Count, after.Events.Count);
    }

    [Fact]
    public async Task Poll_LeavesTheCanaryInTheInbox_UntilItsProbeIsRecorded_ThenConfirms()
    {
        // On loopback the canary can reach the mailbox before the probe job has saved the dialogue (and so the test
        // message row the token is checked against). Simulated here by hiding the row and putting the probe back to
        // running after the probe: the canary must wait in the inbox, not be put down as forged.
        await using var h = await InboxHarness.CreateAsync(lab);
        var (caseId, probeId) = await h.OpenCaseAsync(lab.EndPoint("OPEN"));
        await RunProbeAsync(h, probeId);
        var sent = Assert.Single((await CaseAsync(h, caseId)).Probes.Single().TestMessages);
        await RecordedAsync(h, sent.Id, probeId, recorded: false);
        var maildir = lab["NOTIFIER_LAB_SINK_MAILDIR"];
        var deadline = DateTime.UtcNow + Arrival;
        while (!InInbox(maildir, sent.Token!) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(InInbox(maildir, sent.Token!), "the canary reached the inbox");

        await h.PollAsync();
        await h.PollAsync();
        await using (var scope = h.Scope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<NotifierDb>().InboundMessages.AnyAsync(m => m.Token == sent.Token));
        Assert.True(InInbox(maildir, sent.Token!), "the canary waits in the inbox");

        await RecordedAsync(h, sent.Id, probeId, recorded: true);
        await h.PollAsync();

        var confirmed = await CaseAsync(h, caseId);
        Assert.Equal(CaseState.Confirmed, confirmed.State);
        Assert.Equal(TestMessageStatus.Arrived, confirmed.Probes.Single().TestMessages.Single().Status);
        Assert.False(InInbox(maildir, sent.Token!), "the canary was moved once read");
    }

    /// <summary>Hides (or restores) the test message's token and puts the probe to running (or done), as before (after) the probe job's commit.</summary>
    private static async Task RecordedAsync(InboxHarness h, int testMessageId, int probeId, bool recorded)
    {
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var m = await db.ProbeTestMessages.SingleAsync(x => x.Id == testMessageId);
        m.Token = recorded ? m.Token![..^"-unsaved".Length] : m.Token + "-unsaved";
        (await db.Probes.SingleAsync(p => p.Id == probeId)).Status = recorded ? ProbeStatus.Done : ProbeStatus.Running;
        await db.SaveChangesAsync();
    }

    /// <summary>Whether a message with the token lies in the canary mailbox's INBOX (Maildir new/ or cur/, not a subfolder).</summary>
    private static bool InInbox(string maildir, string token) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles).Any(f => File.ReadAllText(f).Contains(token, StringComparison.Ordinal));

    [Fact]
    public async Task Window_SendsOneTestMessagePerFurtherClass_ThenAcceptsButDrops_WhenRelayDiscards()
    {
        await using var h = await InboxHarness.CreateAsync(lab, s => s["Probing:ConfirmationWindow"] = "00:00:01");
        var (caseId, probeId) = await h.OpenCaseAsync(lab.EndPoint("DISCARD"), ProbeMode.Full);
        await RunProbeAsync(h, probeId);

        for (var round = 0; round < 3; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await h.PollAsync();
            await using var scope = h.Scope();
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            Assert.Equal(CaseAction.AwaitCanary, c.NextAction);
            var next = await CanaryWindow.ExpireAsync(db, c, scope.ServiceProvider.GetRequiredService<IOptions<ProbingOptions>>().Value, DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
            if (next is null) break;
            await scope.ServiceProvider.GetRequiredService<TestMessageJob>().RunAsync(next.Id, CancellationToken.None);
        }

        var done = await CaseAsync(h, caseId);
        var probe = done.Probes.Single();
        Assert.Equal(ProbeVerdict.AcceptsButDrops, probe.Verdict);
        Assert.Equal(CaseState.Unconfirmed, done.State);
        Assert.Null(done.NextAction);
        Assert.Equal(3, probe.TestMessages.Count);
        Assert.Equal(3, probe.TestMessages.Select(m => m.VariantClass).Distinct().Count());
        Assert.Equal(3, probe.TestMessages.Select(m => m.Token).Distinct().Count());
        Assert.All(probe.TestMessages, m => Assert.Equal(TestMessageStatus.Sent, m.Status));
    }

    [Fact]
    public async Task Poll_RecordsContactBounce_WhenPostfixReturnsARealDsn()
    {
        await using var h = await InboxHarness.CreateAsync(lab, user: "abuse");
        var (caseId, _) = await h.OpenCaseAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.77"), 25));
        var reference = CaseReference.Format(caseId);
        var notice = new MimeMessage();
        notice.From.Add(MailboxAddress.Parse("notices@desk.test"));
        notice.To.Add(MailboxAddress.Parse("nobody@bounce.test"));
        notice.Subject = $"[{reference}] Open mail relay at 192.0.2.77";
        notice.Body = new TextPart("plain") { Text = "Your server relays mail for anyone." };
        using (var smtp = new SmtpClient())
        {
            var bounce = lab.EndPoint("BOUNCE");
            await smtp.ConnectAsync(bounce.Address.ToString(), bounce.Port, MailKit.Security.SecureSocketOptions.None);
            await smtp.SendAsync(notice);
            await smtp.DisconnectAsync(true);
        }

        var row = await h.PollUntilAsync(db => db.ContactBounces.FirstOrDefaultAsync(b => b.Address == "nobody@bounce.test"), Arrival);
        Assert.NotNull(row);
        Assert.Equal(caseId, row.CaseId);
        Assert.Contains("5.1.1", row.Diagnostic, StringComparison.Ordinal);
        await using var scope = h.Scope();
        var inbound = await scope.ServiceProvider.GetRequiredService<NotifierDb>().InboundMessages.SingleAsync(m => m.Class == InboundClass.Bounce && m.CaseId == caseId);
        Assert.Equal("RFC 3464 delivery-status report", inbound.Rule);
    }

    [Fact]
    public async Task Poll_TiesTheDsnToTheCasesTestMessage_AndMarksNoContact_WhenTheProbedRelayBouncesTheTestMessage()
    {
        // The lab's bounce relay takes anything for bounce.test (our canary domain here) and returns a real DSN to
        // the envelope sender through the sink, which delivers our sender domain desk.test to the abuse mailbox.
        await using var h = await InboxHarness.CreateAsync(lab, s => s["Probing:CanaryDomain"] = "bounce.test", user: "abuse");
        var (caseId, probeId) = await h.OpenCaseAsync(lab.EndPoint("BOUNCE"));

        await RunProbeAsync(h, probeId);
        var sent = await CaseAsync(h, caseId);
        var message = Assert.Single(sent.Probes.Single().TestMessages);
        Assert.Equal(TestMessageStatus.Sent, message.Status);
        var returnPath = JsonResult(sent).Variants.Single(v => v.Name == message.Variant).MailFrom;
        Assert.StartsWith($"bounces+p{probeId}-", returnPath, StringComparison.Ordinal);

        var row = await h.PollUntilAsync(db => db.InboundMessages.FirstOrDefaultAsync(m => m.Class == InboundClass.Bounce), Arrival);
        Assert.NotNull(row);
        Assert.Equal((caseId, probeId), (row.CaseId, row.ProbeId));
        Assert.Contains($"VERP return path {returnPath} verified", row.Rule, StringComparison.Ordinal);
        Assert.Contains("no contact marked", row.Detail, StringComparison.Ordinal);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        Assert.Equal(0, await db.ContactBounces.CountAsync());
        var events = await db.CaseEvents.Where(e => e.CaseId == caseId && e.Kind == CaseEventKind.Bounce).ToListAsync();
        var bounced = Assert.Single(events);
        Assert.Contains($"Test message 1 through variant {message.Variant} came back as a bounce", bounced.Summary, StringComparison.Ordinal);
        Assert.Contains("5.1.1", bounced.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_HoldsForgedOptOut_ThenSuppressesGenuineOne_WhenRepliesArriveOverImap()
    {
        await using var h = await InboxHarness.CreateAsync(lab, user: "abuse");
        var (caseId, _) = await h.OpenCaseAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.78"), 25));
        var contact = $"abuse-{Guid.NewGuid():N}@small-biz.example";
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            db.CaseContacts.Add(TestContacts.Of(caseId, contact));
            await db.SaveChangesAsync();
        }
        (byte[] Raw, string MessageId) OptOut(string authenticationResults)
        {
            var m = new MimeMessage();
            m.Headers.Add("Authentication-Results", authenticationResults);
            m.From.Add(MailboxAddress.Parse(contact));
            m.To.Add(MailboxAddress.Parse("notices@desk.test"));
            m.Subject = $"Re: [{CaseReference.Format(caseId)}] Open mail relay at 192.0.2.78";
            m.MessageId = $"{Guid.NewGuid():N}@small-biz.example";
            m.Body = new TextPart("plain") { Text = "Please remove me from your mailing list." };
            using var stream = new MemoryStream();
            m.WriteTo(stream);
            return (stream.ToArray(), m.MessageId);
        }

        // The right subject tag and the contact's address, with a "pass" that a receiver not ours claims.
        var forged = OptOut("mx.attacker.example; dkim=pass header.d=small-biz.example");
        await SendThroughSinkAsync(forged.Raw, "notices@desk.test");
        var held = await h.PollUntilAsync(db => db.InboundMessages.FirstOrDefaultAsync(m => m.MessageId == forged.MessageId), Arrival);
        Assert.NotNull(held);
        await using (var scope = h.Scope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<NotifierDb>().Suppressions.AnyAsync(s => s.Value == contact));
        Assert.Equal((InboundClass.Reply, caseId, ReplyIntent.OptOut), (held.Class, held.CaseId, held.HeldIntent));

        var genuine = OptOut(TestContacts.DkimPass(contact));
        await SendThroughSinkAsync(genuine.Raw, "notices@desk.test");
        var row = await h.PollUntilAsync(db => db.InboundMessages.FirstOrDefaultAsync(m => m.MessageId == genuine.MessageId), Arrival);
        Assert.NotNull(row);
        await using var check = h.Scope();
        var suppression = await check.ServiceProvider.GetRequiredService<NotifierDb>().Suppressions.SingleAsync(s => s.Value == contact);
        Assert.Equal((row.Id, "inbox"), (suppression.InboundMessageId, suppression.AddedBy));
        Assert.Null(row.HeldIntent);
        Assert.True((await CaseAsync(h, caseId)).NeedsAttention);
    }

    private static ProbeResult JsonResult(Case c) => ProbeResultJson.Deserialize(c.Probes.Single().ResultJson!)!;
}
