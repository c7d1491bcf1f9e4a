using System.Text.RegularExpressions;
using Notifier.Cases;
using Notifier.Notices;
using Notifier.Probing;
using static Notifier.Tests.Cases.RetestSamples;

namespace Notifier.Tests.Cases;

/// <summary>The case state machine's table: nothing else is possible, everything in it happens, and the drawings show it.</summary>
public sealed partial class CaseTransitionsTests
{
    private static readonly DateTimeOffset Now = Start;

    private static Probe Probe() => new() { Key = "aaaaaaaaaaaaaaaa" };

    private static Notice PlanFirst(Case c) =>
        CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), "abuse@example.org", null, "system", null, Now, "system", "test", Now);

    /// <summary>For every allowed pair, a workflow method that makes it, starting from a case in the pair's first state.</summary>
    private static Dictionary<(string From, string To), Action<Case>> Makers()
    {
        var m = new Dictionary<(string, string), Action<Case>>();
        foreach (var from in CaseState.All.Where(s => s != CaseState.Closed))
            m[(from, CaseState.Closed)] = c => CaseWorkflow.Close(c, "operator:test", CloseReason.Other, null, Now);
        foreach (var from in new[] { CaseState.New, CaseState.Deferred, CaseState.Suspected, CaseState.Confirmed, CaseState.Unconfirmed, CaseState.NotRelay, CaseState.Unreachable })
            m[(from, CaseState.Probing)] = c => CaseWorkflow.QueueProbe(c, ProbeMode.Quick, Now);
        foreach (var from in new[] { CaseState.Probing, CaseState.Deferred, CaseState.Suspected, CaseState.Unconfirmed, CaseState.NotRelay, CaseState.Unreachable })
            m[(from, CaseState.Confirmed)] = c => CaseWorkflow.Confirm(c, Probe(), ProbeVerdict.Confirmed, "the canary arrived", Now);
        var cases = new CasesOptions();
        m[(CaseState.Probing, CaseState.Suspected)] = c => CaseWorkflow.ProbeFinished(c, Probe(), Result(ProbeVerdict.DataAccepted, Now), cases, Now);
        m[(CaseState.Probing, CaseState.NotRelay)] = c => CaseWorkflow.ProbeFinished(c, Probe(), Result(ProbeVerdict.Closed, Now), cases, Now);
        m[(CaseState.Probing, CaseState.Deferred)] = c => CaseWorkflow.ProbeFinished(c, Probe(), Result(ProbeVerdict.Unreachable, Now), cases, Now);
        m[(CaseState.Probing, CaseState.Unreachable)] = c =>
        {
            c.ProbeAttempts = cases.MaxProbeAttempts;
            CaseWorkflow.ProbeFinished(c, Probe(), Result(ProbeVerdict.Unreachable, Now), cases, Now);
        };
        m[(CaseState.Suspected, CaseState.Unconfirmed)] = c => CaseWorkflow.AcceptsButDrops(c, Probe(), "no canary", Now);
        m[(CaseState.Confirmed, CaseState.Notifying)] = c => PlanFirst(c);
        m[(CaseState.Unconfirmed, CaseState.Notifying)] = c => PlanFirst(c);
        m[(CaseState.Notifying, CaseState.Monitoring)] = c => CaseWorkflow.NoticeSent(c, PlanFirst(c), "test", "250 ok", new RetestOptions(), Now);
        m[(CaseState.Notifying, CaseState.Confirmed)] = c => CaseWorkflow.CancelNotice(c, PlanFirst(c), "operator:test", "test", false, Now);
        m[(CaseState.Notifying, CaseState.Resolved)] = c => RetestOf(c, ProbeVerdict.Closed);
        m[(CaseState.Monitoring, CaseState.Resolved)] = c => RetestOf(c, ProbeVerdict.Closed);
        m[(CaseState.Monitoring, CaseState.Escalated)] = c => CaseWorkflow.Escalate(c, "abuse@upstream.example", "[]", 3, Now);
        m[(CaseState.Monitoring, CaseState.Unresponsive)] = c => CaseWorkflow.NobodyUpstream(c, 3, "nobody upstream", new RetestOptions(), Now);
        m[(CaseState.Escalated, CaseState.Resolved)] = c => RetestOf(c, ProbeVerdict.Closed);
        m[(CaseState.Escalated, CaseState.Unresponsive)] = c => RetestOf(c, ProbeVerdict.RcptAccepted, new RetestHistory(3, new RetestOptions().UnresponsiveAfterEscalatedRetests - 1));
        m[(CaseState.Unresponsive, CaseState.Resolved)] = c => RetestOf(c, ProbeVerdict.Closed);
        m[(CaseState.Resolved, CaseState.Reopened)] = c => RetestOf(c, ProbeVerdict.RcptAccepted);
        m[(CaseState.Reopened, CaseState.Notifying)] = c =>
            CaseWorkflow.PlanNotice(c, nameof(NoticeKind.StillOpen), "abuse@example.org", null, "system", null, Now, "system", "test", Now);
        m[(CaseState.Reopened, CaseState.Monitoring)] = c =>
            CaseWorkflow.NoticeSent(c, new Notice { Recipient = "abuse@example.org", Kind = nameof(NoticeKind.StillOpen), CaseStateAtPlan = CaseState.Reopened }, "test", "250 ok", new RetestOptions(), Now);
        m[(CaseState.Reopened, CaseState.Resolved)] = c => RetestOf(c, ProbeVerdict.Closed);
        m[(CaseState.Closed, CaseState.New)] = c => CaseWorkflow.Reopen(c, "operator:test", "test", Now);
        return m;
    }

    private static void RetestOf(Case c, string verdict, RetestHistory? history = null)
    {
        c.FirstNoticeAt = Now.AddDays(-3);
        Retest(c, verdict, Now, history: history);
    }

    [Fact]
    public void EveryPairInTheTable_IsMadeBySomeWorkflowMethod()
    {
        var makers = Makers();

        Assert.Equal(CaseTransitions.Pairs.OrderBy(p => p).ToList(), makers.Keys.OrderBy(p => p).ToList());
        foreach (var ((from, to), make) in makers)
        {
            var c = At(from, Now);
            make(c);
            Assert.True(c.State == to, $"{from} → {to}: the case ended {c.State}");
            Assert.Equal(to, c.Events.Last(e => e.Kind == CaseEventKind.StateChanged).ToState);
        }
    }

    [Fact]
    public void Move_Throws_ForEveryPairNotInTheTable()
    {
        // Every workflow method moves through the one private Move, so asking it for each illegal pair covers them all.
        var move = typeof(CaseWorkflow).GetMethod("Move", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var illegal = CaseState.All.SelectMany(f => CaseState.All.Select(t => (f, t))).Where(p => p.f != p.t && !CaseTransitions.IsAllowed(p.f, p.t)).ToList();

        Assert.NotEmpty(illegal);
        foreach (var (from, to) in illegal)
        {
            var c = At(from, Now);
            var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => move.Invoke(null, [c, to, "test", Now, "test"]));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Equal(from, c.State);
        }
    }

    [Theory]
    [InlineData("docs/architecture.md")]
    [InlineData("README.md")]
    public void StateDiagram_DrawsExactlyTheTable(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), file));
        var start = text.IndexOf("stateDiagram-v2", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{file} has no state diagram");
        var diagram = text[start..text.IndexOf("```", start, StringComparison.Ordinal)];

        var drawn = Arrow().Matches(diagram).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Where(p => p.Item1 != "[*]" && p.Item2 != "[*]").ToList();

        Assert.Equal(CaseTransitions.Pairs.OrderBy(p => p).ToList(), drawn.OrderBy(p => p).ToList());
    }

    [GeneratedRegex(@"^\s*(\[\*\]|\w+) --> (\[\*\]|\w+)", RegexOptions.Multiline)]
    private static partial Regex Arrow();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Notifier.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Notifier.sln not found above the test binaries");
    }
}
