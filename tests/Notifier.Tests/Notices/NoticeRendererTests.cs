using Notifier.Notices;

namespace Notifier.Tests.Notices;

/// <summary>Every template in both languages on representative models: key content, not whitespace.</summary>
public class NoticeRendererTests
{
    public static TheoryData<NoticeKind, string> KindsAndLanguages()
    {
        var data = new TheoryData<NoticeKind, string>();
        foreach (var kind in Enum.GetValues<NoticeKind>())
        {
            data.Add(kind, "en");
            data.Add(kind, "de");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task RenderAsync_TagsSubjectWithCaseReference_ForEveryTemplate(NoticeKind kind, string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(kind, language));

        Assert.StartsWith("[NR-000123] ", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", notice.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', notice.Subject);
        Assert.DoesNotContain('\n', notice.Subject);
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task RenderAsync_WritesStableLabelsWithUtcTimes_InTextPart(NoticeKind kind, string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(kind, language));
        var lines = notice.Text.Split('\n');

        // One fact per line, stable English keys whatever the language; 22:15:07 at UTC-5 is 03:15:07Z.
        Assert.Contains("----- BEGIN OPEN RELAY REPORT -----", lines);
        Assert.Contains("----- END OPEN RELAY REPORT -----", lines);
        Assert.Contains("Case-Reference: NR-000123", lines);
        Assert.Contains("Relay-Address: 192.0.2.10", lines);
        Assert.Contains("Relay-Port: 25", lines);
        Assert.Contains("Relay-Host-Name: mail.example.net", lines);
        Assert.Contains("Observed-At: 2026-12-01T03:15:07Z", lines);
        Assert.Contains("Confirmed-At: 2026-12-01T03:17:07Z", lines);
        Assert.Contains("Variant: plain", lines);
        Assert.Contains("MTA: Postfix", lines);
        Assert.Contains("Written-At: 2026-12-01T09:00:00Z", lines);
        Assert.Contains($"Notice-Type: {ExpectedNoticeType(kind)}", lines);
        // The HTML part carries the same facts for people.
        Assert.Contains("<td>192.0.2.10</td>", notice.Html, StringComparison.Ordinal);
        Assert.Contains("2026-12-01T03:15:07Z", notice.Html, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", notice.Html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", notice.Html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task RenderAsync_SaysHowToReachAPersonAndOptOut_ForEveryTemplate(NoticeKind kind, string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(kind, language));

        foreach (var part in new[] { notice.Text, notice.Html })
        {
            Assert.Contains("abuse-desk@cert.example", part, StringComparison.Ordinal);
            Assert.Contains("optout@notifier.example", part, StringComparison.Ordinal);
            Assert.Contains("https://notifier.example/r/Zm9vYmFy", part, StringComparison.Ordinal);
            Assert.Contains("Example CERT abuse desk", part, StringComparison.Ordinal);
        }
        Assert.Contains("<a href=\"https://notifier.example/r/Zm9vYmFy\">", notice.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_SaysWhoWeAreWhyThemAndWhatNext_InFirstNotice()
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model());

        Assert.Contains("We are Example CERT abuse desk", notice.Text, StringComparison.Ordinal);
        Assert.Contains("registration data (RDAP)", notice.Text, StringComparison.Ordinal);
        Assert.Contains("EXAMPLE-NET 192.0.2.0/24", notice.Text, StringComparison.Ordinal);
        Assert.Contains("On 2026-12-01 03:15 UTC our tester connected to 192.0.2.10 port 25", Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.Contains("accepted mail for an outside domain from any sender", Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.Contains("    2026-12-01T03:15:07.630Z <- 250 2.1.5 Ok", notice.Text, StringComparison.Ordinal);
        Assert.Contains("    $ telnet 192.0.2.10 25", notice.Text, StringComparison.Ordinal);
        Assert.Contains("    RCPT TO:<you%outside-provider.example@mail.example.net>", notice.Text, StringComparison.Ordinal);
        Assert.Contains("We will test the server again", Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.Contains("no further mail about it", Unwrapped(notice.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_WritesGerman_WhenLanguageIsGerman()
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(language: "de"));
        var text = Unwrapped(notice.Text);

        Assert.Contains("Offenes Mail-Relay auf 192.0.2.10 Port 25", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("Sehr geehrte Damen und Herren,", text, StringComparison.Ordinal);
        Assert.Contains("wir sind Example CERT abuse desk", text, StringComparison.Ordinal);
        Assert.Contains("hat E-Mail für eine fremde Domain von einem beliebigen Absender angenommen", text, StringComparison.Ordinal);
        Assert.Contains("== So schließen Sie es ==", text, StringComparison.Ordinal);
        Assert.Contains("Mit freundlichen Grüßen", text, StringComparison.Ordinal);
        Assert.Contains("Relay-Address: 192.0.2.10", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Dear colleagues", text, StringComparison.Ordinal);
        Assert.DoesNotContain("What we observed", text, StringComparison.Ordinal);
        Assert.Contains("So können Sie es selbst prüfen", notice.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("xx-YY")]
    public async Task RenderAsync_WritesEnglish_WhenLanguageIsUnknown(string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(language: language));

        Assert.Contains("Dear colleagues,", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sehr geehrte", notice.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", notice.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-AT")]
    [InlineData("DE")]
    public async Task RenderAsync_WritesGerman_WhenLanguageIsAGermanVariant(string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(language: language));

        Assert.Contains("Sehr geehrte Damen und Herren,", notice.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("percent-hack", "en", "accepted the percent hack")]
    [InlineData("sender-own-domain-postmaster:example.net", "en", "relays when the sender claims to be in your own domain (example.net)")]
    [InlineData("source-route-host", "en", "accepted a source route through its host name")]
    [InlineData("null-sender", "en", "from the empty (bounce) sender <>")]
    [InlineData("percent-hack", "de", "hat den Prozent-Trick angenommen")]
    [InlineData("sender-own-domain-postmaster:example.net", "de", "aus Ihrer eigenen Domain (example.net) zu kommen")]
    public async Task RenderAsync_DescribesAcceptedVariantInWords(string variant, string language, string words)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(language: language, relays: NoticeModels.Relay(variant)));

        Assert.Contains(words, Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(words), notice.Html, StringComparison.Ordinal);
        Assert.Contains($"Variant: {variant}", notice.Text, StringComparison.Ordinal);
    }

    /// <summary>A line of configuration only each MTA's own advice has.</summary>
    private static readonly Dictionary<string, string> AdviceMarks = new()
    {
        ["Postfix"] = "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
        ["Exim"] = "require message       = relay not permitted",
        ["Sendmail"] = "FEATURE(`promiscuous_relay')",
        ["Microsoft Exchange"] = "-ExtendedRights \"Ms-Exch-SMTP-Accept-Any-Recipient\"",
        ["qmail"] = "# /var/qmail/control/rcpthosts",
        ["OpenSMTPD"] = "match auth from any for any action \"outbound\"",
        ["Haraka"] = "all=false",
    };

    public static TheoryData<string, string> MtasAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var mta in AdviceMarks.Keys)
        {
            data.Add(mta, "en");
            data.Add(mta, "de");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MtasAndLanguages))]
    public async Task RenderAsync_GivesThatMtasAdvice_WhenMtaIsFingerprinted(string mta, string language)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(language: language, relays: NoticeModels.Relay(mta: mta)));

        Assert.Contains(notice.Text.Split('\n'), l => l.StartsWith("    ", StringComparison.Ordinal) && l.Contains(AdviceMarks[mta], StringComparison.Ordinal));
        foreach (var other in AdviceMarks.Where(a => a.Key != mta))
        {
            Assert.DoesNotContain(other.Value, notice.Text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("We could not tell which mail server software", notice.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown", "We could not tell which mail server software this is.")]
    [InlineData("MDaemon", "For MDaemon we have no specific instructions.")]
    [InlineData("", "We could not tell which mail server software this is.")]
    public async Task RenderAsync_GivesGeneralAdvice_WhenMtaHasNoInstructions(string mta, string sentence)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(relays: NoticeModels.Relay(mta: mta)));
        var text = Unwrapped(notice.Text);

        Assert.Contains(sentence, text, StringComparison.Ordinal);
        Assert.Contains("trusted networks contain neither the whole internet (0.0.0.0/0)", text, StringComparison.Ordinal);
        Assert.All(AdviceMarks.Values, mark => Assert.DoesNotContain(mark, notice.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_GivesEachMtasAdviceOnce_WhenBatchedRelaysRunDifferentMtas()
    {
        var model = NoticeModels.Model(relays: [NoticeModels.Relay(mta: "Exim"), NoticeModels.Relay(mta: "Haraka"), NoticeModels.Relay(mta: "Exim")]);

        var notice = await NoticeRendering.RenderAsync(model);

        Assert.Single(notice.Text.Split('\n'), l => l.Contains(AdviceMarks["Exim"], StringComparison.Ordinal));
        Assert.Single(notice.Text.Split('\n'), l => l.Contains(AdviceMarks["Haraka"], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public async Task RenderAsync_RendersGracefully_WhenFactsAreMissing(string language)
    {
        var relay = NoticeModels.Relay(mta: "unknown", hostName: null) with { Banner = null, TranscriptExcerpt = [], ConfirmedAt = null };
        var model = NoticeModels.Model(language: language, relays: relay) with
        {
            OwnerPageUrl = null,
            OwnerPageExpiresAt = null,
            Desk = new NoticeDesk { Name = "Example CERT abuse desk", ReplyAddress = "abuse-desk@cert.example" },
            Recipient = new NoticeRecipient { Address = "postmaster@example.net", Source = "something-new" },
        };

        var notice = await NoticeRendering.RenderAsync(model);
        var lines = notice.Text.Split('\n');

        Assert.Equal("[NR-000123] " + (language == "de" ? "Offenes Mail-Relay auf 192.0.2.10 Port 25" : "Open mail relay at 192.0.2.10 port 25"), notice.Subject);
        Assert.DoesNotContain(lines, l => l.StartsWith("Relay-Host-Name:", StringComparison.Ordinal) || l.StartsWith("Banner:", StringComparison.Ordinal)
            || l.StartsWith("Confirmed-At:", StringComparison.Ordinal) || l.StartsWith("Owner-Page", StringComparison.Ordinal));
        Assert.Contains("MTA: unknown", lines);
        Assert.Contains(language == "de" ? "Unsere Testnachricht ist bisher nicht über ihn bei uns angekommen" : "Our test message has not come back to us through it", Unwrapped(notice.Text), StringComparison.Ordinal);
        // The percent hack names the server by its address literal when it has no name.
        Assert.Contains("    RCPT TO:<" + (language == "de" ? "sie%fremder-anbieter.example" : "you%outside-provider.example") + "@[192.0.2.10]>", lines);
        foreach (var part in new[] { notice.Text, notice.Html })
        {
            Assert.DoesNotContain("/r/", part, StringComparison.Ordinal);
            Assert.DoesNotContain("https://cert.example", part, StringComparison.Ordinal);
            Assert.DoesNotContain("()", part, StringComparison.Ordinal);
            Assert.DoesNotContain("2026-12-01T03:15:07.120Z", part, StringComparison.Ordinal);
            Assert.Contains("something-new", part, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("<pre></pre>", notice.Html, StringComparison.Ordinal);
    }

    private const string HostileHost = "evil<script>alert(1)</script>.example\r\nBcc: victim@example.org";

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task RenderAsync_EncodesMarkupAndKeepsLineBreaksOutOfSubject_WhenHostNameIsHostile(NoticeKind kind, string language)
    {
        var relay = NoticeModels.Relay(hostName: HostileHost) with
        {
            Banner = "220 <img src=x onerror=alert(2)> ESMTP",
            TranscriptExcerpt = ["2026-12-01T03:15:07.120Z <- 220 <b onmouseover=alert(3)>hi</b>"],
        };

        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(kind, language, relay));

        Assert.DoesNotContain('\r', notice.Subject);
        Assert.DoesNotContain('\n', notice.Subject);
        Assert.Contains("evil<script>alert(1)</script>.example Bcc: victim@example.org", notice.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", notice.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", notice.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", notice.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("evil&lt;script&gt;alert(1)&lt;/script&gt;.example", notice.Html, StringComparison.Ordinal);
        // The text part shows the name as it is, on the fact's own line: no line of its own for the injected header.
        var lines = notice.Text.Split('\n');
        Assert.Contains("Relay-Host-Name: evil<script>alert(1)</script>.example Bcc: victim@example.org", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Bcc:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_StartsNoLineOfItsOwn_WhenHostNameCarriesTheTextLineMark()
    {
        var relay = NoticeModels.Relay(hostName: "mail.example.net" + NoticeRendererText.LineBreak + "Bcc: victim@example.org");

        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(relays: relay));

        Assert.DoesNotContain(notice.Text.Split('\n'), l => l.StartsWith("Bcc:", StringComparison.Ordinal));
        Assert.Contains("Relay-Host-Name: mail.example.net Bcc: victim@example.org", notice.Text.Split('\n'));
    }

    [Fact]
    public async Task RenderAsync_ListsEveryRelayAndPointsToCsv_WhenBatched()
    {
        var relays = new[]
        {
            NoticeModels.Relay() with { CaseReference = "NR-000123", Address = "192.0.2.10" },
            NoticeModels.Relay("percent-hack", "Exim") with { CaseReference = "NR-000124", Address = "192.0.2.11", HostName = "mx2.example.net" },
            NoticeModels.Relay("bang-path", "unknown") with { CaseReference = "NR-000125", Address = "2001:db8::25", HostName = null },
        };
        var model = NoticeModels.Model(relays: relays) with { RelaysOnlyInAttachment = 5 };

        var notice = await NoticeRendering.RenderAsync(model);
        var lines = notice.Text.Split('\n');
        var text = Unwrapped(notice.Text);

        Assert.Equal("[NR-000123] 8 open mail relays in your network", notice.Subject);
        Assert.Contains("Relay-Count: 3", lines);
        Assert.Contains("Relays-In-Attachment: 5", lines);
        foreach (var relay in relays)
        {
            Assert.Contains($"Relay-Address: {relay.Address}", lines);
            Assert.Contains($"Relay-Case-Reference: {relay.CaseReference}", lines);
            Assert.Contains($"connected to {relay.Address} port 25", text, StringComparison.Ordinal);
        }
        Assert.Contains("accepted the percent hack", text, StringComparison.Ordinal);
        Assert.Contains("accepted a UUCP bang path", text, StringComparison.Ordinal);
        Assert.Contains("5 more in the attached CSV", text, StringComparison.Ordinal);
        Assert.Contains("5 more in the attached CSV", notice.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "We wrote to you on 2026-11-20 about an open mail relay")]
    [InlineData("de", "wir haben Ihnen am 2026-11-20 wegen eines offenen Mail-Relays")]
    public async Task RenderAsync_CitesEarlierNotice_InReminder(string language, string sentence)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(NoticeKind.Reminder, language));

        Assert.Contains(sentence, Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.Contains("Earlier-Notice-At: 2026-11-20T08:00:00Z", notice.Text.Split('\n'));
        Assert.Contains(language == "de" ? "Erinnerung: " : "Reminder: ", notice.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "When we tested again on 2026-11-28 06:30 UTC, the server still relayed.", "Our next test is planned for 2026-12-05 06:30 UTC.")]
    [InlineData("de", "Bei unserer erneuten Prüfung am 2026-11-28 06:30 UTC hat der Server weiterhin weitergeleitet.", "Unser nächster Test ist für den 2026-12-05 06:30 UTC geplant.")]
    public async Task RenderAsync_GivesRetestResultAndNextRetest_InStillOpen(string language, string retest, string next)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(NoticeKind.StillOpen, language));
        var text = Unwrapped(notice.Text);

        Assert.Contains(retest, text, StringComparison.Ordinal);
        Assert.Contains(next, text, StringComparison.Ordinal);
        Assert.Contains("Retest-Verdict: open", notice.Text.Split('\n'));
        Assert.Contains("Next-Retest-At: 2026-12-05T06:30:00Z", notice.Text.Split('\n'));
    }

    [Theory]
    [InlineData("en", "Thank you! When we tested again on 2026-11-28 06:30 UTC, the server refused to relay.", "How to close it")]
    [InlineData("de", "vielen Dank! Bei unserer erneuten Prüfung am 2026-11-28 06:30 UTC hat der Server die Weiterleitung verweigert.", "So schließen Sie es")]
    public async Task RenderAsync_ThanksAndLeavesOutFixing_InResolved(string language, string thanks, string fixHeading)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(NoticeKind.Resolved, language));

        Assert.Contains(thanks, Unwrapped(notice.Text), StringComparison.Ordinal);
        Assert.DoesNotContain(fixHeading, notice.Text, StringComparison.Ordinal);
        Assert.Contains("Retest-Verdict: closed", notice.Text.Split('\n'));
        Assert.Contains(language == "de" ? "ist geschlossen, vielen Dank" : "is closed, thank you", notice.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "We write to you as the abuse contact of AS64500 EXAMPLE-TRANSIT 192.0.2.0/22", "Since 2026-11-02 we have sent 3 notices")]
    [InlineData("de", "wir schreiben Ihnen als Abuse-Kontakt von AS64500 EXAMPLE-TRANSIT 192.0.2.0/22", "Seit dem 2026-11-02 haben wir 3 Nachrichten")]
    public async Task RenderAsync_SaysWhyUpstream_InEscalation(string language, string who, string history)
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(NoticeKind.Escalation, language));
        var text = Unwrapped(notice.Text);

        Assert.Contains(who, text, StringComparison.Ordinal);
        Assert.Contains(history, text, StringComparison.Ordinal);
        Assert.Contains("abuse@example.net, postmaster@example.net", text, StringComparison.Ordinal);
        Assert.Contains("Upstream-Network: AS64500 EXAMPLE-TRANSIT 192.0.2.0/22", notice.Text.Split('\n'));
        Assert.Contains("Earlier-Recipient: postmaster@example.net", notice.Text.Split('\n'));
    }

    [Fact]
    public async Task RenderAsync_StillExplains_WhenEscalationFactsAreMissing()
    {
        var model = NoticeModels.Model(NoticeKind.Escalation) with { Escalation = null, LatestRetest = null, EarlierNoticesAt = [] };

        var notice = await NoticeRendering.RenderAsync(model);

        Assert.Contains("the direct contacts we notified have not closed this open relay", Unwrapped(notice.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ShowsOpensslCommand_WhenPortIsImplicitTls()
    {
        var notice = await NoticeRendering.RenderAsync(NoticeModels.Model(relays: NoticeModels.Relay() with { Port = 465 }));

        Assert.Contains("    $ openssl s_client -quiet -crlf -connect 192.0.2.10:465", notice.Text.Split('\n'));
    }

    [Fact]
    public async Task RenderAsync_Throws_WhenModelHasNoRelay()
    {
        var model = NoticeModels.Model() with { Relays = [] };

        await Assert.ThrowsAsync<ArgumentException>(() => NoticeRendering.RenderAsync(model));
    }

    private static string ExpectedNoticeType(NoticeKind kind) => kind switch
    {
        NoticeKind.FirstNotice => "first-notice",
        NoticeKind.Reminder => "reminder",
        NoticeKind.StillOpen => "still-open",
        NoticeKind.Resolved => "resolved",
        _ => "escalation",
    };

    /// <summary>The text part with its prose wrapping undone, so sentences can be matched whole.</summary>
    private static string Unwrapped(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
}
