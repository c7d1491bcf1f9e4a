using MimeKit;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

public sealed class NoticeMessageBuilderTests
{
    private static readonly NoticeAttachment Transcript = new("NR-000123-transcript.txt", "text/plain; charset=utf-8", "220 mail.example.net ESMTP\r\n"u8.ToArray());

    [Fact]
    public void Build_NestsTextAndHtmlInAlternative_InsideMixedWithTheAttachments()
    {
        using var key = NoticeSamples.Signer();
        var arrived = "From: relaytest@canary.test\r\nTo: relaytest+abc@canary.test\r\nSubject: relay test\r\n\r\nbody\r\n"u8.ToArray();
        var mail = NoticeSamples.Mail([Transcript, new NoticeAttachment("NR-000123-test-message.eml", "message/rfc822", arrived)]);

        var message = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(mail));

        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        var text = Assert.IsType<TextPart>(alternative[0]);
        var html = Assert.IsType<TextPart>(alternative[1]);
        Assert.Equal("text/plain", text.ContentType.MimeType);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Contains("Relay: 192.0.2.10:25\nGrüße", text.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("text/html", html.ContentType.MimeType);
        Assert.Contains("<b>192.0.2.10</b>", html.Text, StringComparison.Ordinal);
        var transcript = Assert.IsType<TextPart>(mixed[1]);
        Assert.True(transcript.IsAttachment);
        Assert.Equal("NR-000123-transcript.txt", transcript.FileName);
        var eml = Assert.IsType<MessagePart>(mixed[2]);
        Assert.Equal("message/rfc822", eml.ContentType.MimeType);
        Assert.Equal("relay test", eml.Message!.Subject);
        Assert.Equal(3, mixed.Count);
    }

    [Fact]
    public void Build_WritesEveryNoticeHeaderOnce_WithTheGivenIds()
    {
        using var key = NoticeSamples.Signer();
        var mail = NoticeSamples.Mail(earlier: ["first.1@desk.test", "reminder.2@desk.test"]);

        var message = NoticeSamples.Builder(key.Signer).Build(mail);
        var wire = NoticeSamples.Wire(message);

        Assert.Equal(mail.MessageId, wire.MessageId);
        Assert.Equal("reminder.2@desk.test", wire.InReplyTo);
        Assert.Equal(["first.1@desk.test", "reminder.2@desk.test"], wire.References);
        Assert.Equal("\"Example CERT abuse desk\" <notices@desk.test>", wire.From.ToString());
        Assert.Equal("\"Example CERT abuse desk\" <abuse@desk.test>", wire.ReplyTo.ToString());
        Assert.Equal("abuse@owner.test", wire.To.ToString());
        Assert.Equal("[NR-000123] Open mail relay at 192.0.2.10", wire.Subject);
        Assert.Equal(mail.Date, wire.Date);
        Assert.Equal("auto-generated", wire.Headers[NoticeHeaders.AutoSubmitted]);
        Assert.Equal("NR-000123", wire.Headers[NoticeHeaders.Case]);
        var names = NoticeSamples.HeaderLines(message).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant()).ToList();
        foreach (var name in new[] { "from", "reply-to", "to", "subject", "date", "message-id", "in-reply-to", "references", "auto-submitted", "x-notifier-case", "list-unsubscribe", "dkim-signature" })
            Assert.True(names.Count(n => n == name) == 1, $"{name}: {names.Count(n => n == name)} in {string.Join(",", names)}");
    }

    [Fact]
    public void Build_OffersOnlyTheMailtoOptOut_WhenThereIsNoOwnerPage()
    {
        using var key = NoticeSamples.Signer();

        var wire = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail()));

        Assert.Equal("<mailto:opt-out@desk.test?subject=unsubscribe%20NR-000123>", wire.Headers[NoticeHeaders.ListUnsubscribe]);
        Assert.False(wire.Headers.Contains(NoticeHeaders.ListUnsubscribePost));
    }

    [Fact]
    public void Build_OffersOneClickAndSignsIt_WhenTheOwnerPageUrlIsGiven()
    {
        using var key = NoticeSamples.Signer();

        var wire = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail(oneClick: "https://notifier.desk.test/r/tok3n/unsubscribe")));

        Assert.Equal("<mailto:opt-out@desk.test?subject=unsubscribe%20NR-000123>, <https://notifier.desk.test/r/tok3n/unsubscribe>",
            wire.Headers[NoticeHeaders.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", wire.Headers[NoticeHeaders.ListUnsubscribePost]);
        // RFC 8058 §4: the signature must cover both headers.
        var signed = Tags(wire.Headers[HeaderId.DkimSignature]!)["h"].Split(':').Select(h => h.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
    }

    [Fact]
    public void Build_LeavesOutOneClick_WhenTheNoticeIsNotSigned()
    {
        var wire = NoticeSamples.Wire(NoticeSamples.Builder(new NoticeSigner(null)).Build(NoticeSamples.Mail(oneClick: "https://notifier.desk.test/r/tok3n/unsubscribe")));

        Assert.Contains("<https://notifier.desk.test/r/tok3n/unsubscribe>", wire.Headers[NoticeHeaders.ListUnsubscribe], StringComparison.Ordinal);
        Assert.False(wire.Headers.Contains(NoticeHeaders.ListUnsubscribePost));
        Assert.False(wire.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public void Build_RefusesTheOneClickUrl_WhenItIsNotHttps()
    {
        using var key = NoticeSamples.Signer();

        Assert.Throws<ArgumentException>(() => NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail(oneClick: "http://notifier.desk.test/r/x")));
    }

    [Fact]
    public async Task Build_SignsWithDkimThatVerifies_AgainstThePublishedKey()
    {
        using var key = NoticeSamples.Signer();
        var mail = NoticeSamples.Mail([Transcript], oneClick: "https://notifier.desk.test/r/tok3n/unsubscribe", earlier: ["first.1@desk.test"]);

        var wire = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(mail));

        var dkim = wire.Headers[wire.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.Equal("desk.test", Tags(dkim.Value)["d"]);
        Assert.True(await key.Verifier().VerifyAsync(wire, dkim));
    }

    [Fact]
    public async Task Build_SignatureFails_WhenASignedHeaderIsChangedOnTheWay()
    {
        using var key = NoticeSamples.Signer();
        var wire = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail(oneClick: "https://notifier.desk.test/r/tok3n/unsubscribe")));

        wire.Headers[NoticeHeaders.ListUnsubscribe] = "<https://attacker.example/>";

        var dkim = wire.Headers[wire.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.False(await key.Verifier().VerifyAsync(wire, dkim));
    }

    [Theory]
    [InlineData("\r\nBcc: victim@example.org")]
    [InlineData("\nBcc: victim@example.org")]
    [InlineData("\rBcc: victim@example.org")]
    [InlineData("\u2028Bcc: victim@example.org")]
    public void Build_KeepsHostileValuesInTheirHeader_WhenTheyCarryLineBreaks(string injection)
    {
        using var key = NoticeSamples.Signer();
        var mail = NoticeSamples.Mail(subject: "[NR-000123] Open relay at mail.example.net" + injection, caseReference: "NR-000123" + injection,
            attachments: [new NoticeAttachment("transcript" + injection + ".txt", "text/plain", "x"u8.ToArray())]);
        var options = NoticeSamples.Options();
        options.DeskName = "Desk" + injection;
        var builder = new NoticeMessageBuilder(Microsoft.Extensions.Options.Options.Create(options), key.Signer);

        var message = builder.Build(mail);
        var wire = NoticeSamples.Wire(message);

        Assert.False(wire.Headers.Contains(HeaderId.Bcc));
        Assert.Empty(wire.Bcc);
        Assert.DoesNotContain(NoticeSamples.HeaderLines(message), l => l.StartsWith("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(wire.BodyParts.SelectMany(p => p.Headers), h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("[NR-000123] Open relay at mail.example.net Bcc: victim@example.org", wire.Subject);
        Assert.Equal("NR-000123 Bcc: victim@example.org", wire.Headers[NoticeHeaders.Case]);
        Assert.Single(wire.To.Mailboxes);
    }

    [Theory]
    [InlineData("abuse@owner.test\r\nBcc: victim@example.org")]
    [InlineData("abuse@owner.test, victim@example.org")]
    [InlineData("not an address")]
    public void Build_RefusesTheRecipient_WhenItIsNotOneAddress(string to)
    {
        using var key = NoticeSamples.Signer();

        Assert.Throws<ArgumentException>(() => NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail(to: to)));
    }

    [Theory]
    [InlineData("<notice.1@desk.test>")]
    [InlineData("notice.1@desk.test\r\nBcc: victim@example.org")]
    [InlineData("no-domain")]
    public void Build_RefusesTheMessageId_WhenItIsNotABareId(string id)
    {
        using var key = NoticeSamples.Signer();

        Assert.Throws<ArgumentException>(() => NoticeSamples.Builder(key.Signer).Build(NoticeSamples.Mail(messageId: id)));
    }

    [Fact]
    public void Build_KeepsAHugeTranscriptWhole_InTheAttachment()
    {
        using var key = NoticeSamples.Signer();
        var lines = Enumerable.Range(0, 200_000).Select(i => $"S: 250-line {i} " + new string('x', i % 300));
        var huge = System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
        var mail = NoticeSamples.Mail([new NoticeAttachment("NR-000123-transcript.txt", "text/plain; charset=utf-8", huge)]);

        var message = NoticeSamples.Wire(NoticeSamples.Builder(key.Signer).Build(mail));

        var part = Assert.IsType<TextPart>(message.Attachments.Single());
        var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        Assert.Equal(huge, decoded.ToArray());
    }

    [Fact]
    public void Build_GivesTheSameMessage_WhenTheSameNoticeIsBuiltAgain()
    {
        using var key = NoticeSamples.Signer();
        var mail = NoticeSamples.Mail([Transcript]);
        var builder = NoticeSamples.Builder(key.Signer);

        Assert.Equal(Text(builder.Build(mail)), Text(builder.Build(mail)));
    }

    private static string Text(MimeMessage message)
    {
        var stream = new MemoryStream();
        message.WriteTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<string, string> Tags(string dkim) => dkim.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(t => t.Split('=', 2)).ToDictionary(t => t[0], t => System.Text.RegularExpressions.Regex.Replace(t[1], @"\s+", ""));
}
