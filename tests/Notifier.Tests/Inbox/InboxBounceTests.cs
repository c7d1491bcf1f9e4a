using System.Text;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Probing;

namespace Notifier.Tests.Inbox;

/// <summary>
/// What a bounce or a feedback report does to contacts and cases: temporary failures kept apart, VERP return paths,
/// recipients never sent to, cut messages, complaints on the timeline. Case 1 has the contact abuse@example.org and is
/// threaded by its subject tag [NR-000001]; case 2 has a test message (Message-ID relaytest.fixture@canary.test).
/// </summary>
public sealed class InboxBounceTests : IAsyncLifetime
{
    private InboxHarness _h = null!;
    private long _uid;
    private int _testMessageId;

    public async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync(null, s => s["Inbox:MaxMessageBytes"] = "4096");
        await using var scope = _h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var one = CaseWorkflow.Open("192.0.2.10", 25, "192.0.2.10:25", "test", null, "test", now);
        var two = CaseWorkflow.Open("198.51.100.20", 25, "198.51.100.20:25", "test", null, "test", now);
        db.Cases.AddRange(one, two);
        await db.SaveChangesAsync();
        db.CaseContacts.Add(new CaseContact { CaseId = one.Id, Address = "abuse@example.org", Source = "rdap", Sources = "rdap", Tier = "rdap", Confidence = "high", EvidenceJson = "[]" });
        var probe = CaseWorkflow.QueueProbe(two, ProbeMode.Quick, now);
        var message = new ProbeTestMessage
        {
            Sequence = 1,
            Variant = "plain",
            VariantClass = "direct",
            Status = TestMessageStatus.Sent,
            Token = new string('a', 40),
            Target = "198.51.100.20:25",
            MessageId = "relaytest.fixture@canary.test",
            QueuedAt = now,
            SentAt = now,
        };
        probe.TestMessages.Add(message);
        await db.SaveChangesAsync();
        _testMessageId = message.Id;
        Assert.Equal((1, 2), (one.Id, two.Id));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<InboundMessage> ProcessAsync(string text)
    {
        await using var scope = _h.Scope();
        var raw = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));
        var (row, _, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>().ProcessAsync(raw, "INBOX", 1, ++_uid, CancellationToken.None);
        return row;
    }

    private async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = _h.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    private async Task<bool> BouncedAsync(int caseId, string address)
    {
        await using var scope = _h.Scope();
        var policy = await StoredContactPolicy.LoadAsync(scope.ServiceProvider.GetRequiredService<NotifierDb>(), caseId, [address], CancellationToken.None);
        return policy.Bounces.Any(b => b.Address == address);
    }

    private static string Dsn(string to, string recipient, string action, string status, string subject = "[NR-000001] Open mail relay at 192.0.2.10") => $"""
        From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
        To: {to}
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"

        --b
        Content-Type: text/plain

        Your message could not be delivered.
        --b
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org

        Final-Recipient: rfc822; {recipient}
        Action: {action}
        Status: {status}

        --b
        Content-Type: text/rfc822-headers

        From: notices@desk.test
        To: {recipient}
        Subject: {subject}

        --b--
        """;

    [Theory]
    [InlineData("failed", "4.4.7")]
    [InlineData("delayed", "4.2.2")]
    public async Task Process_DoesNotMarkTheContactBounced_WhenTheFailureIsTemporary(string action, string status)
    {
        var row = await ProcessAsync(Dsn("notices@desk.test", "abuse@example.org", action, status));

        Assert.Equal((InboundClass.Bounce, 1), (row.Class, row.CaseId));
        var stored = await DbAsync(db => db.ContactBounces.SingleAsync());
        Assert.True(stored.Temporary);
        Assert.False(await BouncedAsync(1, "abuse@example.org"));
    }

    [Fact]
    public async Task Process_MarksTheContactBounced_WhenTheFailureIsPermanent()
    {
        await ProcessAsync(Dsn("notices@desk.test", "abuse@example.org", "failed", "5.1.1"));

        var stored = await DbAsync(db => db.ContactBounces.SingleAsync());
        Assert.Equal((false, BounceReason.UnknownUser), (stored.Temporary, stored.Reason));
        Assert.True(await BouncedAsync(1, "abuse@example.org"));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public async Task PolicyAsync_MarksBouncedOnlyAfterDaysOfFailures_WhenEveryFailureIsTemporary(int days, bool bounced)
    {
        var first = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        await DbAsync(async db =>
        {
            db.ContactBounces.Add(new ContactBounce { Address = "abuse@example.org", At = first, Temporary = true, Diagnostic = "4.2.2" });
            db.ContactBounces.Add(new ContactBounce { Address = "abuse@example.org", At = first.AddDays(days), Temporary = true, Diagnostic = "4.2.2" });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(bounced, await BouncedAsync(1, "abuse@example.org"));
    }

    [Fact]
    public async Task Process_TiesTheBounceToTheTestMessage_WhenTheReturnPathIsAVerifiedVerpTag()
    {
        var key = VerpAddress.KeyFrom(ProbeTokenKey.FromBase64(InboxHarness.TokenKey));
        var returnPath = new VerpAddress(VerpAddress.TestMessage, _testMessageId, "desk.test").Format(key);

        // The bounce names a recipient we never sent to (a forged or rewritten one) and no case tag.
        var row = await ProcessAsync(Dsn(returnPath, "abuse@victim.example", "failed", "5.1.1", "Hello"));

        Assert.Equal((InboundClass.Bounce, 2), (row.Class, row.CaseId));
        Assert.Contains("verified", row.Rule, StringComparison.Ordinal);
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
        var events = await DbAsync(db => db.CaseEvents.Where(e => e.CaseId == 2 && e.Kind == CaseEventKind.Bounce).ToListAsync());
        Assert.Contains(events, e => e.Summary.Contains("Test message 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_TiesTheBounceToTheRetrysTestMessage_WhenTheProbeTagNamesTheFirstAttemptOfItsEnvelope()
    {
        // A greylisted first attempt sent nothing; its same-envelope retry sent the test message from the same
        // return path, which names the first attempt.
        var (firstId, retryId) = await DbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var c = await db.Cases.Include(x => x.Probes).SingleAsync(x => x.Id == 2);
            var first = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
            await db.SaveChangesAsync();
            var retry = CaseWorkflow.QueueProbeRetry(c, first, now);
            retry.TestMessages.Add(new ProbeTestMessage
            {
                Sequence = 1,
                Variant = "percent-hack",
                VariantClass = "routed",
                Status = TestMessageStatus.Sent,
                Token = new string('b', 40),
                Target = "198.51.100.20:25",
                MessageId = "relaytest.retry@canary.test",
                QueuedAt = now,
                SentAt = now,
            });
            await db.SaveChangesAsync();
            return (first.Id, retry.Id);
        });
        var key = VerpAddress.KeyFrom(ProbeTokenKey.FromBase64(InboxHarness.TokenKey));
        var returnPath = new VerpAddress(VerpAddress.Probe, firstId, "desk.test").Format(key);

        var row = await ProcessAsync(Dsn(returnPath, "relaytest+tok@canary.test", "failed", "5.1.1", "Hello"));

        Assert.Equal((2, retryId), (row.CaseId, row.ProbeId));
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
        var events = await DbAsync(db => db.CaseEvents.Where(e => e.CaseId == 2 && e.Kind == CaseEventKind.Bounce).ToListAsync());
        Assert.Contains(events, e => e.Summary.Contains("Test message 1 through variant percent-hack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_MarksNothing_WhenTheVerpTagIsForged()
    {
        var row = await ProcessAsync(Dsn($"bounces+t{_testMessageId}-0123456789abcdef@desk.test", "abuse@example.org", "failed", "5.1.1"));

        Assert.Equal(InboundClass.Bounce, row.Class);
        Assert.Null(row.CaseId);
        Assert.Contains("does not verify", row.Rule, StringComparison.Ordinal);
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
    }

    [Fact]
    public async Task Process_IgnoresTheRecipient_WhenTheCaseNeverHadThatContact()
    {
        var row = await ProcessAsync(Dsn("notices@desk.test", "someone-else@example.org", "failed", "5.1.1"));

        Assert.Equal(1, row.CaseId);
        Assert.Contains("never sent to", row.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
    }

    [Fact]
    public async Task Process_StoresItAsTooLarge_WhenTheMessageWasCutAtMaxMessageBytes()
    {
        var text = Dsn("notices@desk.test", "abuse@example.org", "failed", "5.1.1");
        var cut = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes((text + new string('x', 5000)).ReplaceLineEndings("\r\n"))[..4096]);

        var row = await ProcessAsync(cut);

        Assert.Equal(InboundClass.TooLarge, row.Class);
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
    }

    private static string Arf(string originalMessageId) => $"""
        From: feedback@provider.example
        To: notices@desk.test
        Subject: Abuse report
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="f"

        --f
        Content-Type: text/plain

        This is an abuse report.
        --f
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: ReportGen/1.0
        Version: 1
        Original-Rcpt-To: <abuse@example.org>

        --f
        Content-Type: text/rfc822-headers

        From: relaytest@desk.test
        To: relaytest@canary.test
        Subject: Relay test
        Message-ID: <{originalMessageId}>

        --f--
        """;

    [Fact]
    public async Task Process_PutsTheComplaintOnTheCaseTimeline_WhenTheReportConcernsOurMessage()
    {
        var row = await ProcessAsync(Arf("relaytest.fixture@canary.test"));

        Assert.Equal((InboundClass.Complaint, 2), (row.Class, row.CaseId));
        var c = await DbAsync(db => db.Cases.Include(x => x.Events).SingleAsync(x => x.Id == 2));
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.Complaint && e.Summary.Contains("abuse@example.org", StringComparison.Ordinal));
        Assert.True(c.NeedsAttention);
        Assert.Equal(0, await DbAsync(db => db.ContactBounces.CountAsync()));
    }

    [Fact]
    public async Task Process_KeepsTheComplaintWithoutCase_WhenTheReportConcernsMailThatIsNotOurs()
    {
        var row = await ProcessAsync(Arf("someone.else@elsewhere.example"));

        Assert.Equal(InboundClass.Complaint, row.Class);
        Assert.Null(row.CaseId);
    }
}
