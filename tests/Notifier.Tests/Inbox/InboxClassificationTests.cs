using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Probing;
using Notifier.Telemetry;

namespace Notifier.Tests.Inbox;

/// <summary>
/// The fixture corpus (bounces, auto-replies, human replies of each intent) through the processor: right class,
/// right case, right action. Case 1 is threaded by its subject tag [NR-000001]; case 2 by the Message-ID of its
/// test message, relaytest.fixture@canary.test.
/// </summary>
public sealed class InboxClassificationTests : IAsyncLifetime
{
    private InboxHarness _h = null!;
    private long _uid;

    public async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync(null);
        await using var scope = _h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var one = CaseWorkflow.Open("192.0.2.10", 25, "192.0.2.10:25", "test", null, "test", now);
        var two = CaseWorkflow.Open("198.51.100.20", 25, "198.51.100.20:25", "test", null, "test", now);
        db.Cases.AddRange(one, two);
        await db.SaveChangesAsync();
        var probe = CaseWorkflow.QueueProbe(two, ProbeMode.Quick, now);
        probe.TestMessages.Add(new ProbeTestMessage
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
        });
        await db.SaveChangesAsync();
        Assert.Equal((1, 2), (one.Id, two.Id));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<InboundMessage> ProcessAsync(string fixture)
    {
        await using var scope = _h.Scope();
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", fixture));
        var (row, already, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>().ProcessAsync(raw, "INBOX", 1, ++_uid, CancellationToken.None);
        Assert.False(already);
        return row;
    }

    /// <summary>The fixture with its Authentication-Results header replaced (null: removed).</summary>
    private async Task<InboundMessage> ProcessOptOutAsync(string? authenticationResults)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", "reply-opt-out.eml"));
        var body = text[text.IndexOf("From:", StringComparison.Ordinal)..];
        var raw = System.Text.Encoding.UTF8.GetBytes(authenticationResults is null ? body : $"Authentication-Results: {authenticationResults}\n{body}");
        await using var scope = _h.Scope();
        var (row, already, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>().ProcessAsync(raw, "INBOX", 1, ++_uid, CancellationToken.None);
        Assert.False(already);
        return row;
    }

    /// <summary>Makes the address a contact of the case, as a contact lookup would.</summary>
    private Task<int> AddContactAsync(int caseId, string address) => DbAsync(db =>
    {
        db.CaseContacts.Add(TestContacts.Of(caseId, address));
        return db.SaveChangesAsync();
    });

    private async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = _h.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    [Theory]
    [InlineData("exchange-ndr.eml", InboundClass.Bounce, 1)]
    [InlineData("gmail-dsn.eml", InboundClass.Bounce, 2)]
    [InlineData("qmail-bounce.eml", InboundClass.Bounce, 1)]
    [InlineData("vacation.eml", InboundClass.AutoReply, 1)]
    [InlineData("exchange-ooo.eml", InboundClass.AutoReply, 1)]
    [InlineData("rt-autoreply.eml", InboundClass.AutoReply, 1)]
    [InlineData("read-receipt.eml", InboundClass.AutoReply, 1)]
    [InlineData("reply-fixed.eml", InboundClass.Reply, 2)]
    [InlineData("reply-false-positive.eml", InboundClass.Reply, 1)]
    [InlineData("unknown.eml", InboundClass.Unknown, null)]
    public async Task Process_ClassifiesAndThreads_ForEachFixture(string fixture, string expectedClass, int? expectedCase)
    {
        var row = await ProcessAsync(fixture);

        Assert.Equal(expectedClass, row.Class);
        Assert.Equal(expectedCase, row.CaseId);
        Assert.False(string.IsNullOrEmpty(row.Rule));
    }

    [Theory]
    [InlineData("exchange-ndr.eml", "abuse@contoso.example", "5.1.10")]
    [InlineData("gmail-dsn.eml", "postmaster@hosted-by-gmail.example", "5.1.1")]
    [InlineData("qmail-bounce.eml", "noc@example.net", "5.1.1")]
    public async Task Process_RecordsBouncedAddressWithStatus_WhenBounce(string fixture, string address, string status)
    {
        var row = await ProcessAsync(fixture);

        var bounce = await DbAsync(db => db.ContactBounces.SingleAsync());
        Assert.Equal(address, bounce.Address);
        Assert.StartsWith(status, bounce.Diagnostic, StringComparison.Ordinal);
        Assert.Equal(row.CaseId, bounce.CaseId);
        var c = await DbAsync(db => db.Cases.Include(x => x.Events).SingleAsync(x => x.Id == row.CaseId));
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.Bounce && e.Summary.Contains(address, StringComparison.Ordinal));
        Assert.False(c.NeedsAttention);
    }

    [Theory]
    [InlineData("reply-fixed.eml", ReplyIntent.Fixed)]
    [InlineData("reply-false-positive.eml", ReplyIntent.FalsePositive)]
    [InlineData("reply-wrong-contact.eml", ReplyIntent.WrongContact)]
    [InlineData("reply-opt-out.eml", ReplyIntent.OptOut)]
    [InlineData("reply-abusive.eml", ReplyIntent.Abusive)]
    [InlineData("reply-other.eml", ReplyIntent.Other)]
    public async Task Process_ClassifiesIntent_WhenHumanReply(string fixture, string intent)
    {
        using var replies = new MetricCollector<long>(_h.Services.GetRequiredService<NotifierMetrics>().Meter, "notifier.replies");

        var row = await ProcessAsync(fixture);

        // notifier_replies_total counts it once, under the intent the case shows.
        var counted = Assert.Single(replies.GetMeasurementSnapshot());
        Assert.Equal((1L, intent), (counted.Value, (string?)counted.Tags["intent"]));

        Assert.Equal(InboundClass.Reply, row.Class);
        Assert.Equal(intent, row.Intent);
        var c = await DbAsync(db => db.Cases.Include(x => x.Events).SingleAsync(x => x.Id == row.CaseId));
        Assert.True(c.NeedsAttention);
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.Reply);
    }

    [Fact]
    public async Task Process_RequestsRetest_WhenReplySaysFixed()
    {
        await ProcessAsync("reply-fixed.eml");

        var c = await DbAsync(db => db.Cases.SingleAsync(x => x.Id == 2));
        Assert.Equal(CaseAction.Probe, c.NextAction);
        Assert.NotNull(c.NextActionAt);
    }

    [Fact]
    public async Task Process_SuppressesSenderOnce_WhenReplyOptsOut()
    {
        await AddContactAsync(1, "owner@small-biz.example");
        var row = await ProcessAsync("reply-opt-out.eml");

        var s = await DbAsync(db => db.Suppressions.SingleAsync());
        Assert.Equal("owner@small-biz.example", s.Value);
        Assert.Equal("inbox", s.AddedBy);
        Assert.Equal(row.Id, s.InboundMessageId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mx.attacker.example; dkim=pass header.d=small-biz.example; spf=pass smtp.mailfrom=owner@small-biz.example")]
    [InlineData("mx.desk.test; dkim=fail header.d=small-biz.example; spf=softfail smtp.mailfrom=owner@small-biz.example")]
    [InlineData("mx.desk.test; dkim=pass header.d=attacker.example; spf=pass smtp.mailfrom=bounce@attacker.example")]
    [InlineData("mx.desk.test.attacker.example; dkim=pass header.d=small-biz.example")]
    public async Task Process_HoldsOptOutForOperator_AndSuppressesNothing_WhenSenderIsNotProven(string? authenticationResults)
    {
        await AddContactAsync(1, "owner@small-biz.example");

        var row = await ProcessOptOutAsync(authenticationResults);

        Assert.Equal(0, await DbAsync(db => db.Suppressions.CountAsync()));
        Assert.Equal((InboundClass.Reply, ReplyIntent.OptOut, ReplyIntent.OptOut), (row.Class, row.Intent, row.HeldIntent));
        Assert.Contains("suggested action: suppress owner@small-biz.example", row.Detail, StringComparison.Ordinal);
        var c = await DbAsync(db => db.Cases.Include(x => x.Events).SingleAsync(x => x.Id == 1));
        Assert.True(c.NeedsAttention);
        var e = Assert.Single(c.Events, x => x.Kind == CaseEventKind.Reply);
        Assert.Contains("opt-out held for an operator, owner@small-biz.example not suppressed", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_HoldsOptOut_WhenAuthenticatedSenderIsNotAContactOfTheCase()
    {
        await AddContactAsync(1, "abuse@isp.example");

        var row = await ProcessAsync("reply-opt-out.eml");

        Assert.Equal(0, await DbAsync(db => db.Suppressions.CountAsync()));
        Assert.Equal(ReplyIntent.OptOut, row.HeldIntent);
        Assert.Contains("owner@small-biz.example is not a contact of NR-000001", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_SuppressesSender_WhenAnotherAddressOfTheContactsDomainOptsOutWithSpfPass()
    {
        await AddContactAsync(1, "abuse@small-biz.example");

        var row = await ProcessOptOutAsync("mx.desk.test; spf=pass smtp.mailfrom=small-biz.example");

        var s = await DbAsync(db => db.Suppressions.SingleAsync());
        Assert.Equal(("owner@small-biz.example", row.Id), (s.Value, s.InboundMessageId));
        Assert.Null(row.HeldIntent);
        Assert.Contains("spf=pass for small-biz.example", s.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ThreadsBySender_WhenAnEarlierReplyOfTheSenderWasThreaded()
    {
        await ProcessAsync("reply-other.eml");
        var row = await ProcessAsync("reply-by-sender.eml");

        Assert.Equal(InboundClass.Reply, row.Class);
        Assert.Equal(1, row.CaseId);
        Assert.Contains("sender ops@example.org", row.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ChangesNothing_WhenAutoReply()
    {
        var before = await DbAsync(db => db.Cases.SingleAsync(x => x.Id == 1));
        await ProcessAsync("vacation.eml");

        var after = await DbAsync(db => db.Cases.SingleAsync(x => x.Id == 1));
        Assert.Equal(before.State, after.State);
        Assert.Equal(before.NextAction, after.NextAction);
        Assert.False(after.NeedsAttention);
    }

    [Fact]
    public async Task Process_ReturnsStoredRow_WhenSameUidAgain()
    {
        await AddContactAsync(1, "owner@small-biz.example");
        var first = await ProcessAsync("reply-opt-out.eml");
        await using var scope = _h.Scope();
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", "reply-opt-out.eml"));
        var (again, already, _) = await scope.ServiceProvider.GetRequiredService<InboxProcessor>().ProcessAsync(raw, "INBOX", 1, _uid, CancellationToken.None);

        Assert.True(already);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await DbAsync(db => db.Suppressions.CountAsync()));
    }
}
