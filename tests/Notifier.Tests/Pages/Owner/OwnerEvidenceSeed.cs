using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>
/// What the owner page's evidence is made of, added to an <see cref="OwnerSeed"/> case: the proving probe (a refused
/// null sender, then the accepted plain variant with its DATA), the test message that arrived through it, and retests.
/// </summary>
public static class OwnerEvidenceSeed
{
    public static readonly DateTimeOffset ProbedAt = new(2026, 11, 20, 9, 15, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ArrivedAt = new(2026, 11, 20, 9, 15, 42, TimeSpan.Zero);

    /// <summary>The accepted RCPT line, marked on the page.</summary>
    public const string RelayingRcpt = "RCPT TO:<relaytest+t0k3n@canary.test>";

    /// <summary>The refused null sender's line, not marked.</summary>
    public const string RefusedRcpt = "RCPT TO:<relaytest+null@canary.test>";

    /// <param name="retests">Retests to add: when, and their outcome.</param>
    public static async Task AddProofAsync(NotifierFactory factory, OwnerSeed seed, string address, string hostName = "mx.owner.example",
        string mta = "Postfix", params (DateTimeOffset At, string Outcome)[] retests)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await AddProofAsync(scope.ServiceProvider.GetRequiredService<NotifierDb>(), seed.CaseId, address, hostName, mta, retests);
    }

    /// <summary>The same on any database (a running service's, for the browser tests).</summary>
    public static async Task AddProofAsync(NotifierDb db, int caseId, string address, string hostName = "mx.owner.example",
        string mta = "Postfix", params (DateTimeOffset At, string Outcome)[] retests)
    {
        var t = ProbedAt;
        var result = new ProbeResult
        {
            Target = $"{address}:25",
            Host = address,
            Address = address,
            Port = 25,
            ProbeKey = "owner-proof",
            Verdict = ProbeVerdict.DataAccepted,
            Reason = "test",
            Mode = ProbeMode.Quick,
            Token = "t0k3n",
            CanaryAddress = "relaytest+t0k3n@canary.test",
            Mta = mta,
            Banner = $"220 {hostName} ESMTP {mta}",
            HostName = hostName,
            DataVariant = "plain",
            Variants =
            [
                new VariantResult("null-sender", "open", "", "relaytest+null@canary.test", "250 2.1.0 Ok", "554 5.7.1 Relay access denied", false, VariantOutcome.Refused, 1),
                new VariantResult("plain", "open", "relaytest@desk.test", "relaytest+t0k3n@canary.test", "250 2.1.0 Ok", "250 2.1.5 Ok", true, VariantOutcome.Accepted, 1),
            ],
            AcceptedVariants = ["plain"],
            Transcript =
            [
                new TranscriptLine(t, TranscriptLine.Received, $"220 {hostName} ESMTP {mta}"),
                new TranscriptLine(t, TranscriptLine.Sent, "EHLO probe.desk.test"),
                new TranscriptLine(t, TranscriptLine.Received, $"250 {hostName}"),
                new TranscriptLine(t, TranscriptLine.Sent, "MAIL FROM:<>"),
                new TranscriptLine(t, TranscriptLine.Received, "250 2.1.0 Ok"),
                new TranscriptLine(t, TranscriptLine.Sent, RefusedRcpt),
                new TranscriptLine(t, TranscriptLine.Received, "554 5.7.1 Relay access denied"),
                new TranscriptLine(t, TranscriptLine.Sent, "RSET"),
                new TranscriptLine(t, TranscriptLine.Received, "250 2.0.0 Ok"),
                new TranscriptLine(t, TranscriptLine.Sent, "MAIL FROM:<relaytest@desk.test>"),
                new TranscriptLine(t, TranscriptLine.Received, "250 2.1.0 Ok"),
                new TranscriptLine(t, TranscriptLine.Sent, RelayingRcpt),
                new TranscriptLine(t, TranscriptLine.Received, "250 2.1.5 Ok"),
                new TranscriptLine(t, TranscriptLine.Sent, "DATA"),
                new TranscriptLine(t, TranscriptLine.Received, "250 2.0.0 Ok: queued as 4F2A"),
                new TranscriptLine(t, TranscriptLine.Sent, "QUIT"),
            ],
            StartedAt = t,
            FinishedAt = t,
        };
        var probe = new Probe
        {
            CaseId = caseId,
            Key = $"owner-proof-{caseId}",
            Status = ProbeStatus.Done,
            Kind = ProbeKind.Initial,
            QueuedAt = t,
            StartedAt = t,
            FinishedAt = t,
            Verdict = ProbeVerdict.Confirmed,
            Mta = mta,
            AcceptedVariants = "plain",
            ResultJson = ProbeResultJson.Serialize(result),
        };
        probe.TestMessages.Add(new ProbeTestMessage
        {
            Variant = "plain",
            Target = $"{address}:25",
            TargetHostName = hostName,
            Status = TestMessageStatus.Arrived,
            QueuedAt = t,
            SentAt = t,
            ArrivedAt = ArrivedAt,
        });
        db.Probes.Add(probe);
        var n = 0;
        foreach (var (at, outcome) in retests)
        {
            db.Probes.Add(new Probe
            {
                CaseId = caseId,
                Key = $"owner-retest-{caseId}-{n++}",
                Status = ProbeStatus.Done,
                Kind = ProbeKind.Retest,
                Mode = ProbeMode.RcptOnly,
                QueuedAt = at,
                StartedAt = at,
                FinishedAt = at,
                RetestOutcome = outcome,
                Verdict = outcome == RetestOutcome.Closed ? ProbeVerdict.Closed : ProbeVerdict.RcptAccepted,
            });
        }
        await db.SaveChangesAsync();
    }
}
