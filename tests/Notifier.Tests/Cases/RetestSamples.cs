using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>Cases and probe results for the retest tests: a notified relay at 198.51.100.7:25 and what a probe of it finds.</summary>
internal static class RetestSamples
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public static ProbeResult Result(string verdict, DateTimeOffset at) => new()
    {
        Target = "198.51.100.7:25",
        Host = "198.51.100.7",
        Address = "198.51.100.7",
        Port = 25,
        ProbeKey = "aaaaaaaaaaaaaaaa",
        Verdict = verdict,
        Reason = $"because {verdict}",
        Mode = ProbeMode.RcptOnly,
        Token = new string('a', 40),
        CanaryAddress = "relaytest+x@canary.test",
        AcceptedVariants = verdict is ProbeVerdict.RcptAccepted or ProbeVerdict.DataAccepted ? ["plain"] : [],
        StartedAt = at,
        FinishedAt = at,
    };

    /// <summary>A case in <paramref name="state"/> (set directly: the tests start from any state).</summary>
    public static Case At(string state, DateTimeOffset now)
    {
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", "test", null, "test", now);
        c.State = state;
        return c;
    }

    /// <summary>A case whose first notice went out at <paramref name="firstNotice"/>: Monitoring, the schedule counted from then.</summary>
    public static Case Notified(DateTimeOffset firstNotice, string state = CaseState.Monitoring)
    {
        var c = At(state, firstNotice);
        c.FirstNoticeAt = firstNotice;
        c.ScheduleFrom = firstNotice;
        return c;
    }

    /// <summary>Queues a retest and records what it found, as ProbeJob does.</summary>
    public static RetestFollowUp Retest(Case c, string verdict, DateTimeOffset now, RetestOptions? options = null, RetestHistory? history = null, CasesOptions? cases = null)
    {
        var p = CaseWorkflow.QueueRetest(c, ["plain"], CaseWorkflow.Schedule, now);
        return CaseWorkflow.RetestFinished(c, p, Result(verdict, now), options ?? new RetestOptions(), cases ?? new CasesOptions(), history ?? new RetestHistory(0, 0), now);
    }
}
