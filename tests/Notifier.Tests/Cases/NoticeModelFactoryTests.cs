using System.Text;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// What each follow-up says, built from a real database state: a case proven by a canary, its first notice sent by
/// the notice job, retest probes as the retest path stores them (kind retest, RCPT only, an outcome, the result JSON),
/// and the schedule columns as the retest steps leave them. Rendered with the real templates; the assertions are the
/// facts a recipient (or a desk's script) looks for.
/// </summary>
public sealed class NoticeModelFactoryTests
{
    private const string Relay = "192.0.2.55";
    private const string Contact = "abuse@isp.example";
    private const string Upstream = "abuse@transit.example";

    private static readonly DateTimeOffset Arrived = NoticeRig.Start.AddMinutes(2);
    private static readonly DateTimeOffset FirstSent = NoticeRig.Start.AddHours(1);
    private static readonly DateTimeOffset OpenRetest = NoticeRig.Start.AddDays(2);
    private static readonly DateTimeOffset ClosingRetest = NoticeRig.Start.AddDays(7).AddHours(1);
    private static readonly DateTimeOffset NextRetest = NoticeRig.Start.AddDays(7).AddHours(1);
    private static readonly DateTimeOffset Recheck = ClosingRetest.AddDays(30);
    private const string Denied = "554 5.7.1 <relaytest+t@canary.test>: Relay access denied";

    public static TheoryData<string> Languages() => new() { "en", "de" };

    /// <summary>
    /// A confirmed case whose test message arrived through the relay (2 minutes after the probe) and whose first notice
    /// the notice job sent an hour after the probe, to <see cref="Contact"/>.
    /// </summary>
    private static async Task<int> NotifiedAsync(NoticeRig rig, string address = Relay, params string[] contacts)
    {
        var caseId = await rig.CaseWithContactsAsync(address, CaseState.Confirmed, contacts.Length == 0 ? [Contact] : contacts);
        await rig.DbAsync(async db =>
        {
            var probe = await db.Probes.SingleAsync(p => p.CaseId == caseId);
            var raw = Encoding.UTF8.GetBytes("Received: from mx.example.org\r\nSubject: relay test\r\n\r\ncanary\r\n");
            var inbound = new InboundMessage
            {
                Folder = "INBOX",
                UidValidity = 1,
                Uid = caseId,
                Sha256 = $"sha-{caseId}",
                FetchedAt = Arrived,
                Headers = "Subject: relay test",
                Raw = raw,
                Class = "canary",
            };
            db.InboundMessages.Add(inbound);
            await db.SaveChangesAsync();
            db.ProbeTestMessages.Add(new ProbeTestMessage
            {
                ProbeId = probe.Id,
                Sequence = 1,
                Variant = "plain",
                Status = TestMessageStatus.Arrived,
                Target = $"{address}:25",
                TargetHostName = "mx.example.org",
                QueuedAt = NoticeRig.Start,
                SentAt = NoticeRig.Start,
                ArrivedAt = Arrived,
                InboundMessageId = inbound.Id,
            });
        });
        await SendFirstNoticeAsync(rig, caseId);
        return caseId;
    }

    private static async Task SendFirstNoticeAsync(NoticeRig rig, int caseId)
    {
        rig.Time.SetUtcNow(FirstSent);
        var notice = await rig.PlanAsync(caseId, "operator:test");
        await rig.RunJobAsync(notice!.Id);
        Assert.Equal(NoticeState.Sent, (await rig.NoticesAsync(caseId)).Single(n => n.Id == notice.Id).State);
    }

    /// <summary>A finished retest as the retest path stores it: RCPT only through the variant that relayed, no test message.</summary>
    private static Task AddRetestAsync(NoticeRig rig, int caseId, DateTimeOffset at, string outcome, string rcptReply) => rig.DbAsync(async db =>
    {
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        var accepted = outcome == RetestOutcome.Open;
        var result = new ProbeResult
        {
            Target = $"{c.Address}:25",
            Host = c.Address,
            Address = c.Address,
            Port = 25,
            ProbeKey = $"retest{at.ToUnixTimeSeconds()}",
            Verdict = accepted ? ProbeVerdict.RcptAccepted : ProbeVerdict.Closed,
            Reason = "retest",
            Mode = ProbeMode.RcptOnly,
            Token = "t",
            CanaryAddress = "relaytest+t@canary.test",
            Mta = "Postfix",
            Banner = "220 mx.example.org ESMTP Postfix",
            HostName = "mx.example.org",
            Variants = [new VariantResult("plain", "open", "relaytest@desk.test", "relaytest+t@canary.test", "250 2.1.0 Ok", rcptReply, accepted,
                accepted ? VariantOutcome.Accepted : VariantOutcome.Refused, 1)],
            AcceptedVariants = accepted ? ["plain"] : [],
            Transcript =
            [
                new TranscriptLine(at, TranscriptLine.Received, "220 mx.example.org ESMTP Postfix"),
                new TranscriptLine(at, TranscriptLine.Sent, "MAIL FROM:<relaytest@desk.test>"),
                new TranscriptLine(at, TranscriptLine.Received, "250 2.1.0 Ok"),
                new TranscriptLine(at, TranscriptLine.Sent, "RCPT TO:<relaytest+t@canary.test>"),
                new TranscriptLine(at, TranscriptLine.Received, rcptReply),
                new TranscriptLine(at, TranscriptLine.Sent, "QUIT"),
            ],
            StartedAt = at,
            FinishedAt = at.AddSeconds(3),
        };
        db.Probes.Add(new Probe
        {
            CaseId = caseId,
            Key = result.ProbeKey,
            Kind = ProbeKind.Retest,
            Mode = ProbeMode.RcptOnly,
            Variants = "plain",
            RequestedBy = "schedule",
            Status = ProbeStatus.Done,
            QueuedAt = at,
            StartedAt = at,
            FinishedAt = result.FinishedAt,
            Verdict = result.Verdict,
            RetestOutcome = outcome,
            Mta = "Postfix",
            AcceptedVariants = accepted ? "plain" : null,
            ResultJson = ProbeResultJson.Serialize(result),
        });
    });

    /// <summary>
    /// The schedule columns as the retest steps of CaseWorkflow leave them (next retest due, resolved, reopened): set here
    /// directly, so these tests pin what a notice says for a state, not the policy that reaches it.
    /// </summary>
    private static Task AsRetestsLeftItAsync(NoticeRig rig, int caseId, DateTimeOffset? nextRetest, DateTimeOffset? resolvedAt = null, int reopened = 0) =>
        rig.DbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            c.FirstNoticeAt ??= FirstSent;
            c.NextAction = nextRetest is null ? null : CaseAction.Retest;
            c.NextActionAt = nextRetest;
            c.ResolvedAt = resolvedAt;
            c.ReopenCount = reopened;
        });

    private static async Task<(NoticeDraft Draft, RenderedNotice Notice, IReadOnlyList<NoticeAttachment> Files)> BuildAsync(
        NoticeRig rig, int caseId, NoticeKind kind, string language, string recipient = Contact)
    {
        await using var scope = rig.Services.CreateAsyncScope();
        var draft = await scope.ServiceProvider.GetRequiredService<NoticeModelFactory>()
            .BuildAsync(caseId, recipient, kind, language, null, rig.Time.GetUtcNow(), CancellationToken.None);
        var notice = await scope.ServiceProvider.GetRequiredService<NoticeRenderer>().RenderAsync(draft.Model);
        return (draft, notice, scope.ServiceProvider.GetRequiredService<NoticeMailFactory>().AttachmentsFor(draft));
    }

    private static string Unwrapped(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    private static string Text(NoticeAttachment a) => Encoding.UTF8.GetString(a.Content);

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task BuildAsync_ReportsTheOpenRetestBesideTheOriginalProof_InStillOpen(string language)
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await NotifiedAsync(rig);
        await AddRetestAsync(rig, caseId, OpenRetest, RetestOutcome.Open, "250 2.1.5 Ok");
        await AsRetestsLeftItAsync(rig, caseId, NextRetest);
        rig.Time.SetUtcNow(OpenRetest.AddMinutes(1));

        var (draft, notice, files) = await BuildAsync(rig, caseId, NoticeKind.StillOpen, language);
        var lines = notice.Text.Split('\n');
        var text = Unwrapped(notice.Text);

        Assert.Equal($"[NR-{caseId:D6}] " + (language == "de" ? "Weiterhin offen: Mail-Relay auf 192.0.2.55 Port 25 (mx.example.org)" : "Still open: mail relay at 192.0.2.55 port 25 (mx.example.org)"), notice.Subject);
        Assert.Contains("Retest-At: 2026-11-29T09:00:00Z", lines);
        Assert.Contains("Retest-Verdict: open", lines);
        Assert.Contains("Retest-Answer: 250 2.1.5 Ok", lines);
        Assert.Contains("Next-Retest-At: 2026-12-04T10:00:00Z", lines);
        Assert.Contains("Earlier-Notice-At: 2026-11-27T10:00:00Z", lines);
        Assert.Contains("Observed-At: 2026-11-27T09:00:00Z", lines);
        Assert.Contains("Confirmed-At: 2026-11-27T09:02:00Z", lines);
        Assert.Contains("    2026-11-29T09:00:00.000Z <- 250 2.1.5 Ok", lines);
        Assert.Contains(language == "de"
            ? "Am 2026-11-29 09:00 UTC haben wir 192.0.2.55 Port 25 (mx.example.org) erneut geprüft"
            : "On 2026-11-29 09:00 UTC we tested 192.0.2.55 port 25 (mx.example.org) again", text, StringComparison.Ordinal);
        Assert.Contains(language == "de"
            ? "unsere signierte Testnachricht kam am 2026-11-27 09:02 UTC über ihn bei uns an"
            : "our signed test message came back to us through it at 2026-11-27 09:02 UTC", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "Eine Nachprüfung fragt nur und sendet keine Nachricht." : "A retest only asks and sends no message.", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "Unser nächster Test ist für den 2026-12-04 10:00 UTC geplant." : "Our next test is planned for 2026-12-04 10:00 UTC.", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "So schließen Sie es" : "How to close it", notice.Text, StringComparison.Ordinal);
        // The retest's whole transcript beside the original evidence (transcript, the test message as it arrived, JSON).
        var retestFile = Assert.Single(files, f => f.FileName.EndsWith("-retest-20261129T090000Z-transcript.txt", StringComparison.Ordinal));
        Assert.Contains("-> RCPT TO:<relaytest+t@canary.test>", Text(retestFile), StringComparison.Ordinal);
        Assert.Contains(files, f => f.FileName == $"NR-{caseId:D6}-192.0.2.55-25-transcript.txt");
        Assert.Contains(files, f => f.FileName.EndsWith("-test-message.eml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.MediaType == "application/json");
        Assert.Equal(6, draft.RetestTranscript.Count);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task BuildAsync_ShowsWhatTheServerAnswersNowAndNoFixing_InResolved(string language)
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await NotifiedAsync(rig);
        await AddRetestAsync(rig, caseId, OpenRetest, RetestOutcome.Open, "250 2.1.5 Ok");
        await AddRetestAsync(rig, caseId, ClosingRetest, RetestOutcome.Closed, Denied);
        await AsRetestsLeftItAsync(rig, caseId, Recheck, resolvedAt: ClosingRetest);
        rig.Time.SetUtcNow(ClosingRetest.AddMinutes(1));

        var (_, notice, files) = await BuildAsync(rig, caseId, NoticeKind.Resolved, language);
        var lines = notice.Text.Split('\n');
        var text = Unwrapped(notice.Text);

        Assert.StartsWith($"[NR-{caseId:D6}] " + (language == "de" ? "Erledigt: " : "Resolved: "), notice.Subject, StringComparison.Ordinal);
        Assert.Contains("Retest-At: 2026-12-04T10:00:00Z", lines);
        Assert.Contains("Retest-Verdict: closed", lines);
        Assert.Contains($"Retest-Answer: {Denied}", lines);
        Assert.Contains($"    2026-12-04T10:00:00.000Z <- {Denied}", lines);
        Assert.Contains(language == "de" ? $"Er antwortete „{Denied}“." : $"It answered \"{Denied}\".", text, StringComparison.Ordinal);
        Assert.Contains(language == "de"
            ? "Bei unserer erneuten Prüfung am 2026-12-04 10:00 UTC hat der Server die Weiterleitung verweigert."
            : "When we tested again on 2026-12-04 10:00 UTC, the server refused to relay.", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "wir schreiben Ihnen zu diesem Server nicht mehr" : "we send no further mail about this server", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "prüfen wir am 2027-01-03 10:00 UTC noch einmal" : "we will test once more on 2027-01-03 10:00 UTC", text, StringComparison.Ordinal);
        Assert.DoesNotContain(language == "de" ? "So schließen Sie es" : "How to close it", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("250 2.1.5 Ok", notice.Text, StringComparison.Ordinal);
        Assert.Single(files, f => f.FileName.EndsWith("-retest-20261204T100000Z-transcript.txt", StringComparison.Ordinal) && Text(f).Contains(Denied, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task BuildAsync_SaysItWasClosedAndIsOpenAgain_InStillOpenOfAReopenedCase(string language)
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await NotifiedAsync(rig);
        await AddRetestAsync(rig, caseId, ClosingRetest, RetestOutcome.Closed, Denied);
        var reopenedAt = Recheck;
        await AddRetestAsync(rig, caseId, reopenedAt, RetestOutcome.Open, "250 2.1.5 Ok");
        await AsRetestsLeftItAsync(rig, caseId, reopenedAt.AddDays(2), resolvedAt: ClosingRetest, reopened: 1);
        rig.Time.SetUtcNow(reopenedAt.AddMinutes(1));

        var (_, notice, _) = await BuildAsync(rig, caseId, NoticeKind.StillOpen, language);
        var text = Unwrapped(notice.Text);

        Assert.Contains("Previously-Resolved-At: 2026-12-04T10:00:00Z", notice.Text.Split('\n'));
        Assert.Contains("Retest-At: 2027-01-03T10:00:00Z", notice.Text.Split('\n'));
        Assert.Contains(language == "de"
            ? "Bei unserer Prüfung am 2026-12-04 10:00 UTC war es geschlossen, doch nun ist es wieder offen."
            : "Our test on 2026-12-04 10:00 UTC had found it closed, but it is open again.", text, StringComparison.Ordinal);
        Assert.Contains(language == "de" ? "Bei unserer erneuten Prüfung am 2027-01-03 10:00 UTC" : "When we tested again on 2027-01-03 10:00 UTC", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task BuildAsync_NamesTheUpstreamNetworkAndEveryoneToldBefore_InEscalation(string language)
    {
        await using var rig = await NoticeRig.CreateAsync();
        // Two relays of one contact: the second case's first notice went out inside the first's message (carried).
        var other = await rig.CaseWithContactsAsync("192.0.2.54", CaseState.Confirmed, Contact);
        var caseId = await rig.CaseWithContactsAsync(Relay, CaseState.Confirmed, Contact, "noc@isp.example");
        rig.Time.SetUtcNow(FirstSent);
        var carrier = await rig.PlanAsync(other, "operator:test");
        await rig.PlanAsync(caseId, "operator:test");
        await rig.RunJobAsync(carrier!.Id);
        Assert.Equal(NoticeState.Carried, Assert.Single(await rig.NoticesAsync(caseId)).State);
        // A StillOpen to the second contact a week later, then the upstream network's abuse contact is found.
        rig.Time.SetUtcNow(FirstSent.AddDays(7));
        var stillOpen = await rig.DbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            var n = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.StillOpen), "noc@isp.example", null, "system", null, rig.Time.GetUtcNow(), "system", "a retest found it open", rig.Time.GetUtcNow());
            db.Notices.Add(n);
            await db.SaveChangesAsync();
            return n.Id;
        });
        await rig.RunJobAsync(stillOpen);
        await AddUpstreamContactAsync(rig, caseId);
        await AddRetestAsync(rig, caseId, FirstSent.AddDays(14), RetestOutcome.Open, "250 2.1.5 Ok");
        await AsRetestsLeftItAsync(rig, caseId, FirstSent.AddDays(44));
        rig.Time.SetUtcNow(FirstSent.AddDays(14).AddMinutes(1));

        var (draft, notice, files) = await BuildAsync(rig, caseId, NoticeKind.Escalation, language, Upstream);
        var lines = notice.Text.Split('\n');
        var text = Unwrapped(notice.Text);

        Assert.Equal("NET-TRANSIT-1 (Example Transit) 192.0.0.0/16", draft.Model.Escalation!.Network);
        Assert.Contains("Upstream-Network: NET-TRANSIT-1 (Example Transit) 192.0.0.0/16", lines);
        Assert.Contains("First-Notified-At: 2026-11-27T10:00:00Z", lines);
        Assert.Contains("Notices-Sent: 2", lines);
        Assert.Contains($"Earlier-Recipient: {Contact}", lines);
        Assert.Contains("Earlier-Recipient: noc@isp.example", lines);
        Assert.DoesNotContain($"Earlier-Recipient: {Upstream}", lines);
        Assert.Contains("Retest-At: 2026-12-11T10:00:00Z", lines);
        Assert.Contains(language == "de"
            ? "wir schreiben Ihnen als Abuse-Kontakt von NET-TRANSIT-1 (Example Transit) 192.0.0.0/16"
            : "We write to you as the abuse contact of NET-TRANSIT-1 (Example Transit) 192.0.0.0/16", text, StringComparison.Ordinal);
        Assert.Contains(language == "de"
            ? $"Seit dem 2026-11-27 haben wir 2 Nachrichten zu diesem offenen Relay an {Contact}, noc@isp.example geschickt"
            : $"Since 2026-11-27 we have sent 2 notices about this open relay to {Contact}, noc@isp.example", text, StringComparison.Ordinal);
        Assert.StartsWith($"[NR-{caseId:D6}] " + (language == "de" ? "Eskalation: " : "Escalation: "), notice.Subject, StringComparison.Ordinal);
        Assert.Contains(files, f => f.FileName.EndsWith("-retest-20261211T100000Z-transcript.txt", StringComparison.Ordinal));
    }

    /// <summary>The upstream network's abuse contact as the RDAP lookup records it: the trail from the customer's network up.</summary>
    private static Task AddUpstreamContactAsync(NoticeRig rig, int caseId) => rig.DbAsync(db =>
    {
        var customer = new RdapFetch(new Uri("https://rdap.example/ip/192.0.2.55"), 200, new RdapNetwork("NET-ISP-CUST", "ISP customers",
            System.Net.IPAddress.Parse("192.0.2.0"), System.Net.IPAddress.Parse("192.0.2.255"), 24, [new RdapAbuseContact(Contact, "ABUSE-ISP")], [], null), null);
        var transit = new RdapFetch(new Uri("https://rdap.example/ip/192.0.0.0/16"), 200, new RdapNetwork("NET-TRANSIT-1", "Example Transit",
            System.Net.IPAddress.Parse("192.0.0.0"), System.Net.IPAddress.Parse("192.0.255.255"), 16, [new RdapAbuseContact(Upstream, "ORG-T › ABUSE-T")], [], null), null);
        db.CaseContacts.Add(new CaseContact
        {
            CaseId = caseId,
            Address = Upstream,
            Source = "rdap",
            Sources = "rdap",
            Tier = "rdap-abuse",
            Confidence = "high",
            Rank = 3,
            EvidenceJson = CaseContactJson.Serialize(new List<ContactEvidence> { new("RDAP bootstrap IANA: 192.0.2.55", "192.0.0.0/8 → https://rdap.example/"), customer.Evidence, transit.Evidence }),
            NetworkPrefixLength = 16,
            FirstSeenAt = rig.Time.GetUtcNow(),
            LastSeenAt = rig.Time.GetUtcNow(),
            RankedAt = rig.Time.GetUtcNow(),
        });
        return Task.CompletedTask;
    });

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task BuildAsync_RepeatsTheFirstNoticeAndSaysOpenAsOfTheLatestRetest_InReminder(string language)
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await NotifiedAsync(rig);
        await AddRetestAsync(rig, caseId, OpenRetest, RetestOutcome.Open, "250 2.1.5 Ok");
        await AsRetestsLeftItAsync(rig, caseId, NextRetest);
        rig.Time.SetUtcNow(OpenRetest.AddDays(1));

        var (_, notice, files) = await BuildAsync(rig, caseId, NoticeKind.Reminder, language);
        var text = Unwrapped(notice.Text);

        Assert.StartsWith($"[NR-{caseId:D6}] " + (language == "de" ? "Erinnerung: offenes Mail-Relay auf 192.0.2.55" : "Reminder: open mail relay at 192.0.2.55"), notice.Subject, StringComparison.Ordinal);
        Assert.Contains(language == "de"
            ? "wir haben Ihnen am 2026-11-27 wegen eines offenen Mail-Relays in Ihrer Zuständigkeit geschrieben. Bisher haben wir keine Antwort erhalten, und bei unserer erneuten Prüfung am 2026-11-29 09:00 UTC war es weiterhin offen."
            : "We wrote to you on 2026-11-27 about an open mail relay in your care. We have not heard back yet, and when we tested again on 2026-11-29 09:00 UTC, it was still open.",
            text, StringComparison.Ordinal);
        // The first notice's facts: the original observation and its excerpt, how to check and close it, the next retest.
        Assert.Contains(language == "de" ? "Am 2026-11-27 09:00 UTC hat unser Testsystem eine Verbindung zu 192.0.2.55 Port 25" : "On 2026-11-27 09:00 UTC our tester connected to 192.0.2.55 port 25", text, StringComparison.Ordinal);
        Assert.Contains("    2026-11-27T09:00:00.000Z <- 250 2.1.5 Ok", notice.Text.Split('\n'));
        Assert.Contains(language == "de" ? "So schließen Sie es" : "How to close it", notice.Text, StringComparison.Ordinal);
        Assert.Contains("Next-Retest-At: 2026-12-04T10:00:00Z", notice.Text.Split('\n'));
        Assert.Contains("Notice-Type: reminder", notice.Text.Split('\n'));
        Assert.Contains(files, f => f.FileName.EndsWith("-test-message.eml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_CitesTheNoticeItWentOutInside_WhenTheFirstNoticeWasCarried()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var other = await rig.CaseWithContactsAsync("192.0.2.54", CaseState.Confirmed, Contact);
        var caseId = await rig.CaseWithContactsAsync(Relay, CaseState.Confirmed, Contact);
        rig.Time.SetUtcNow(FirstSent);
        var carrier = await rig.PlanAsync(other, "operator:test");
        await rig.PlanAsync(caseId, "operator:test");
        await rig.RunJobAsync(carrier!.Id);
        rig.Time.SetUtcNow(OpenRetest);

        var (draft, notice, _) = await BuildAsync(rig, caseId, NoticeKind.Reminder, "en");

        Assert.Equal(NoticeState.Carried, Assert.Single(await rig.NoticesAsync(caseId)).State);
        Assert.Equal([FirstSent], draft.Model.EarlierNoticesAt);
        Assert.Contains("We wrote to you on 2026-11-27 about an open mail relay", Unwrapped(notice.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_ReportsTheInitialProbeAsTheObservation_WhenALaterRetestHasAResult()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await rig.CaseWithContactsAsync(Relay, CaseState.Confirmed, Contact);
        await SendFirstNoticeAsync(rig, caseId);
        await AddRetestAsync(rig, caseId, OpenRetest, RetestOutcome.Open, "250 2.1.5 Ok");

        var (draft, notice, files) = await BuildAsync(rig, caseId, NoticeKind.StillOpen, "en");

        // No canary arrived in this case: the proving probe is the latest initial one, never the retest (RCPT only, no message).
        Assert.Equal(NoticeRig.Start, draft.Model.Relays[0].ObservedAt);
        Assert.Contains("Observed-At: 2026-11-27T09:00:00Z", notice.Text.Split('\n'));
        Assert.Single(files, f => f.FileName == $"NR-{caseId:D6}-192.0.2.55-25-transcript.txt" && !Text(f).Contains("QUIT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_ReportsNoRetestAndDoesNotCrash_WhenResolvedIsBuiltForAStillOpenCase()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await NotifiedAsync(rig);
        await AddRetestAsync(rig, caseId, ClosingRetest, RetestOutcome.Closed, Denied);
        await AddRetestAsync(rig, caseId, Recheck, RetestOutcome.Open, "250 2.1.5 Ok");

        var (draft, notice, files) = await BuildAsync(rig, caseId, NoticeKind.Resolved, "en");

        // The latest finding is open: a thank-you must not claim the closing retest, and the preview says why.
        Assert.Null(draft.Model.LatestRetest);
        Assert.DoesNotContain(notice.Text.Split('\n'), l => l.StartsWith("Retest-", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.FileName.Contains("-retest-", StringComparison.Ordinal));
        Assert.Contains(NoticePreview.NotesFor(draft.Model), n => n.StartsWith("No retest has found the relay closed", StringComparison.Ordinal));
    }
}
