using System.Text;
using System.Text.Json;
using MimeKit;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

public sealed class NoticeEvidenceTests
{
    [Fact]
    public void EvidenceJson_WritesOneObjectPerRelay_WithTheFactsADeskScriptReads()
    {
        var relays = new[] { NoticeSamples.Relay(), NoticeSamples.Relay("2001:db8::25", hostName: null) with { Mta = "unknown", ConfirmedAt = null } };

        var attachment = NoticeEvidence.EvidenceJson("NR-000123", relays);

        Assert.Equal("NR-000123-evidence.json", attachment.FileName);
        Assert.Equal("application/json", attachment.MediaType);
        using var json = JsonDocument.Parse(attachment.Content);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("NR-000123", items[0].GetProperty("case_reference").GetString());
        Assert.Equal("192.0.2.10", items[0].GetProperty("ip").GetString());
        Assert.Equal(25, items[0].GetProperty("port").GetInt32());
        Assert.Equal("mail.example.net", items[0].GetProperty("host_name").GetString());
        Assert.Equal("open", items[0].GetProperty("verdict").GetString());
        Assert.Equal("plain", items[0].GetProperty("variant").GetString());
        Assert.Equal("Postfix", items[0].GetProperty("mta").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero), items[0].GetProperty("observed_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("host_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("confirmed_at").ValueKind);
    }

    [Fact]
    public void FurtherRelaysCsv_ListsEachRelay_AndDefusesFormulas()
    {
        var relays = new[] { NoticeSamples.Relay(), NoticeSamples.Relay("192.0.2.11", hostName: "=HYPERLINK(\"http://x\")") };

        var attachment = NoticeEvidence.FurtherRelaysCsv("NR-000123", relays);

        Assert.Equal("NR-000123-further-relays.csv", attachment.FileName);
        var lines = Encoding.UTF8.GetString(attachment.Content).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("case_reference,observed_at,confirmed_at,ip,port,host_name,verdict,variant,mta,accepted_sender,accepted_recipient", lines[0]);
        Assert.Equal("NR-000123,2026-11-30T08:15:00Z,2026-11-30T08:16:30Z,192.0.2.10,25,mail.example.net,open,plain,Postfix,relaytest@canary.test,relaytest+abc@canary.test", lines[1]);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain(",=HYPERLINK", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Transcript_KeepsEveryLine_WhenTheTranscriptIsHuge()
    {
        var transcript = string.Join("\r\n", Enumerable.Range(0, 100_000).Select(i => $"C: RCPT TO:<relaytest+{i}@canary.test>"));

        var attachment = NoticeEvidence.Transcript(NoticeSamples.Relay("2001:db8::25"), transcript);

        Assert.Equal("NR-000123-2001-db8--25-25-transcript.txt", attachment.FileName);
        Assert.Equal(transcript, Encoding.UTF8.GetString(attachment.Content));
    }

    [Fact]
    public void ArrivedTestMessage_AttachesTheMessageUnchanged_AsRfc822()
    {
        var raw = "Received: from mail.example.net\r\nSubject: relay test\r\n\r\nbody\r\n"u8.ToArray();
        using var key = NoticeSamples.Signer();

        var attachment = NoticeEvidence.ArrivedTestMessage(NoticeSamples.Relay(), raw);
        var wire = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail([attachment])));

        Assert.Equal("NR-000123-192.0.2.10-25-test-message.eml", attachment.FileName);
        var part = Assert.IsType<MessagePart>(wire.Attachments.Single());
        Assert.Equal("from mail.example.net", part.Message!.Headers[HeaderId.Received]);
    }
}
