using System.Text.Json;
using MimeKit;
using Notifier.Notices;
using Notifier.Probing;
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

    [Fact]
    public async Task ApprovedNotice_IsSignedEmlInOutbox_WithFactsAndEvidence_WhenOpenRelayIsConfirmedByItsCanary()
    {
        using var notices = new NoticeLab(lab, new Dictionary<string, string?>());
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

    private static string Content(MimePart part)
    {
        using var s = new MemoryStream();
        part.Content!.DecodeTo(s);
        return System.Text.Encoding.UTF8.GetString(s.ToArray());
    }
}
