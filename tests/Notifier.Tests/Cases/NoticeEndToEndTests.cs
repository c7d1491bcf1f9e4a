using System.Text.Json;
using MimeKit;
using Notifier.Notices;
using Notifier.Probing;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;
using Notifier.Tests.Notices;

namespace Notifier.Tests.Cases;

/// <summary>
/// Notices from the report to the recipient's mailbox on the loopback lab: the open Postfix relay is probed, its
/// canary confirmed through Dovecot, the contacts ranked from manual rules, the notice approved through the API and
/// written to the outbox or handed to the lab's Postfix smarthost, and bounces (a 550 at RCPT, a real DSN) failing over.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NoticeEndToEndTests(Notifier.Tests.Lab.Lab lab)
{
    private const string Owner = "abuse@owner.test";
    private const string Gone = "gone@owner.test";
    private const string Noc = "noc@owner.test";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApprovedNotice_IsSignedEmlInOutbox_WithFactsAndEvidence_WhenOpenRelayIsConfirmedByItsCanary(string provider)
    {
        await using var notices = await NoticeLab.StartAsync(lab, provider, new Dictionary<string, string?>());
        var client = await notices.Factory.ClientWithKeyAsync();
        await NoticeLab.AddContactsAsync(client, Owner);
        var caseId = await notices.ReportOpenRelayAsync(client);

        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        Assert.Equal(Owner, pending.GetProperty("recipient").GetString());
        Assert.Empty(Directory.Exists(notices.OutboxDirectory) ? Directory.GetFiles(notices.OutboxDirectory, "*.eml") : []);
        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        var sent = await NoticeLab.NoticeInStateAsync(client, caseId, Owner, "sent");

        var file = Assert.Single(Directory.GetFiles(notices.OutboxDirectory, "*.eml"));
        var message = await MimeMessage.LoadAsync(file);
        var reference = Notifier.Cases.CaseReference.Format(caseId);
        var relay = lab.EndPoint("OPEN");
        Assert.Equal(sent.GetProperty("messageId").GetString(), message.MessageId);
        Assert.Contains($"[{reference}]", message.Subject, StringComparison.Ordinal);
        Assert.Equal(Owner, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal($"notices@{notices.DeskDomain}", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(reference, message.Headers[NoticeHeaders.Case]);
        Assert.Equal("auto-generated", message.Headers[NoticeHeaders.AutoSubmitted]);
        var text = message.TextBody!;
        var facts = text[text.IndexOf("----- BEGIN OPEN RELAY REPORT -----", StringComparison.Ordinal)..];
        Assert.Contains($"Case-Reference: {reference}", facts, StringComparison.Ordinal);
        Assert.Contains($"Recipient: {Owner}", facts, StringComparison.Ordinal);
        Assert.Contains("Report-Type: open-mail-relay", facts, StringComparison.Ordinal);
        Assert.Contains($"Relay-Address: {relay.Address}", facts, StringComparison.Ordinal);
        Assert.Contains($"Relay-Port: {relay.Port}", facts, StringComparison.Ordinal);

        var attachments = message.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName ?? "", a => a, StringComparer.Ordinal);
        var transcript = attachments.Single(a => a.Key.EndsWith("-transcript.txt", StringComparison.Ordinal)).Value;
        Assert.Contains("RCPT TO:", Content(transcript), StringComparison.Ordinal);
        var evidence = JsonDocument.Parse(Content(attachments.Single(a => a.Key.EndsWith("-evidence.json", StringComparison.Ordinal)).Value)).RootElement;
        Assert.Equal(JsonValueKind.Array, evidence.ValueKind);
        Assert.Contains(relay.Address.ToString(), evidence[0].ToString(), StringComparison.Ordinal);
        var arrived = Assert.Single(message.Attachments.OfType<MessagePart>());
        var probe = (await NoticeLab.CaseAsync(client, caseId)).GetProperty("probes")[0];
        Assert.Contains(probe.GetProperty("token").GetString()!, arrived.Message!.ToString(), StringComparison.Ordinal);

        var key = TestMessageSigner.FromFile(notices.DkimKeyFile, notices.DeskDomain, "notifier", null);
        var signature = message.Headers.IndexOf(HeaderId.DkimSignature);
        Assert.True(signature >= 0, "the notice carries no DKIM-Signature");
        Assert.True(await NoticeSamples.VerifierFor(key.DnsRecord).VerifyAsync(message, message.Headers[signature]), "the DKIM signature does not verify");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApprovedNotice_ArrivesInOwnersMailboxSignedWithVerpReturnPath_WhenSentThroughSmarthost(string provider)
    {
        await using var notices = await NoticeLab.StartAsync(lab, provider, NoticeLab.Smarthost(lab));
        var client = await notices.Factory.ClientWithKeyAsync();
        await NoticeLab.AddContactsAsync(client, Owner);
        var caseId = await notices.ReportOpenRelayAsync(client);

        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        var sent = await NoticeLab.NoticeInStateAsync(client, caseId, Owner, "sent");

        Assert.Equal("smarthost", sent.GetProperty("transport").GetString());
        var message = await notices.OwnerMessageAsync(sent.GetProperty("messageId").GetString()!);
        Assert.Contains($"[{Notifier.Cases.CaseReference.Format(caseId)}]", message.Subject, StringComparison.Ordinal);
        // Dovecot's LMTP writes the envelope sender Postfix handed it: the notice's VERP address (kind n, its id).
        Assert.StartsWith($"<bounces+n{sent.GetProperty("id").GetInt64()}-", message.Headers[HeaderId.ReturnPath], StringComparison.Ordinal);
        Assert.EndsWith("@canary.test>", message.Headers[HeaderId.ReturnPath], StringComparison.Ordinal);
        Assert.Equal(3, message.Attachments.Count());
        var key = TestMessageSigner.FromFile(notices.DkimKeyFile, notices.DeskDomain, "notifier", null);
        Assert.True(await NoticeSamples.VerifierFor(key.DnsRecord).VerifyAsync(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]),
            "the DKIM signature does not verify after the smarthost and Dovecot");
        Assert.Single(await notices.OwnerMessagesAsync(message.MessageId!));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Notice_GoesToNextContactAndFirstIsMarkedBounced_WhenSmarthostRefusesTheFirstWith550(string provider)
    {
        await using var notices = await NoticeLab.StartAsync(lab, provider, NoticeLab.Smarthost(lab));
        var client = await notices.Factory.ClientWithKeyAsync();
        await NoticeLab.AddContactsAsync(client, Gone, Noc);
        var caseId = await notices.ReportOpenRelayAsync(client);

        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        Assert.Equal(Gone, pending.GetProperty("recipient").GetString());
        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        var next = await NoticeLab.NoticeInStateAsync(client, caseId, Noc, "sent");

        var refused = Assert.Single(await NoticeLab.NoticesAsync(client, caseId), n => n.GetProperty("recipient").GetString() == Gone);
        Assert.Equal("rejected", refused.GetProperty("state").GetString());
        Assert.Contains("550", refused.GetProperty("lastError").GetString() + refused.GetProperty("deliveryDetail").GetString(), StringComparison.Ordinal);
        Assert.Equal(refused.GetProperty("id").GetInt64(), next.GetProperty("replacesNoticeId").GetInt64());
        var delivered = await notices.OwnerMessageAsync(next.GetProperty("messageId").GetString()!);
        Assert.Equal(Noc, Assert.Single(delivered.To.Mailboxes).Address);
        var contacts = (await NoticeLab.CaseAsync(client, caseId)).GetProperty("contacts").EnumerateArray().ToList();
        Assert.Equal("bounced", contacts.Single(c => c.GetProperty("address").GetString() == Gone).GetProperty("status").GetString());
        Assert.Equal("active", contacts.Single(c => c.GetProperty("address").GetString() == Noc).GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SentNotice_IsMarkedBouncedAndNextContactGetsOne_WhenARealDsnForItArrivesInTheInbox(string provider)
    {
        // The lab's bounce relay as the smarthost: it takes anything for bounce.test, then Postfix bounces it with a
        // real RFC 3464 DSN to the notice's VERP return path (@canary.test), delivered through the sink into the
        // canary mailbox the service polls.
        var bounce = lab.EndPoint("BOUNCE");
        await using var notices = await NoticeLab.StartAsync(lab, provider, new Dictionary<string, string?>
        {
            ["Notices:Smarthost:Host"] = bounce.Address.ToString(),
            ["Notices:Smarthost:Port"] = bounce.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notices:Smarthost:Security"] = "None",
        });
        const string first = "abuse@bounce.test", second = "noc@bounce.test";
        var client = await notices.Factory.ClientWithKeyAsync();
        await NoticeLab.AddContactsAsync(client, first, second);
        var caseId = await notices.ReportOpenRelayAsync(client);

        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        // The second is sent, then bounces the same way: it may already be rejected when looked at.
        var next = await NoticeLab.NoticeInStateAsync(client, caseId, second, "sent", "rejected");

        Assert.NotEqual(JsonValueKind.Null, next.GetProperty("sentAt").ValueKind);
        var bounced = Assert.Single(await NoticeLab.NoticesAsync(client, caseId), n => n.GetProperty("recipient").GetString() == first);
        Assert.Equal("rejected", bounced.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, bounced.GetProperty("sentAt").ValueKind);
        Assert.Equal(bounced.GetProperty("id").GetInt64(), next.GetProperty("replacesNoticeId").GetInt64());
        var detail = await NoticeLab.CaseAsync(client, caseId);
        Assert.Equal("bounced", detail.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("address").GetString() == first).GetProperty("status").GetString());
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("summary").GetString()!.Contains("5.1.1", StringComparison.Ordinal));
    }

    private static string Content(MimePart part)
    {
        using var s = new MemoryStream();
        part.Content!.DecodeTo(s);
        return System.Text.Encoding.UTF8.GetString(s.ToArray());
    }
}
