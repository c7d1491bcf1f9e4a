namespace Notifier.Cases;

/// <summary>
/// The case state machine's edges: every (from → to) move <see cref="CaseWorkflow"/> may make. Anything else is a
/// defect, so <c>CaseWorkflow.Move</c> throws rather than record it; docs/architecture.md and README.md draw this
/// table (a test compares the drawing with it).
/// </summary>
public static class CaseTransitions
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Allowed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [CaseState.New] = [CaseState.Probing, CaseState.Closed],
        [CaseState.Probing] = [CaseState.Suspected, CaseState.NotRelay, CaseState.Deferred, CaseState.Unreachable, CaseState.Confirmed, CaseState.Closed],
        [CaseState.Deferred] = [CaseState.Probing, CaseState.Confirmed, CaseState.Closed],
        [CaseState.Suspected] = [CaseState.Confirmed, CaseState.Unconfirmed, CaseState.Probing, CaseState.Closed],
        [CaseState.Confirmed] = [CaseState.Notifying, CaseState.Probing, CaseState.Closed],
        [CaseState.Unconfirmed] = [CaseState.Confirmed, CaseState.Notifying, CaseState.Probing, CaseState.Closed],
        [CaseState.NotRelay] = [CaseState.Probing, CaseState.Confirmed, CaseState.Closed],
        [CaseState.Unreachable] = [CaseState.Probing, CaseState.Confirmed, CaseState.Closed],
        // Notifying → Resolved: a relay reopened and told again (a StillOpen awaiting approval or queued) can be found
        // closed by a retest before that notice goes out; the notice is then moot and the case resolved.
        [CaseState.Notifying] = [CaseState.Monitoring, CaseState.Confirmed, CaseState.Resolved, CaseState.Closed],
        [CaseState.Monitoring] = [CaseState.Resolved, CaseState.Escalated, CaseState.Unresponsive, CaseState.Closed],
        [CaseState.Escalated] = [CaseState.Resolved, CaseState.Unresponsive, CaseState.Closed],
        [CaseState.Unresponsive] = [CaseState.Resolved, CaseState.Closed],
        [CaseState.Resolved] = [CaseState.Reopened, CaseState.Closed],
        [CaseState.Reopened] = [CaseState.Notifying, CaseState.Monitoring, CaseState.Resolved, CaseState.Closed],
        // Closed → New: an operator reopens a closed case (CaseWorkflow.Reopen); it is probed afresh.
        [CaseState.Closed] = [CaseState.New],
    };

    /// <summary>Whether the state machine may move a case from <paramref name="from"/> to <paramref name="to"/> (staying is no move).</summary>
    public static bool IsAllowed(string from, string to) =>
        from == to || (Allowed.TryGetValue(from, out var targets) && targets.Contains(to, StringComparer.Ordinal));

    /// <summary>Every allowed pair, in the table's order.</summary>
    public static IEnumerable<(string From, string To)> Pairs => Allowed.SelectMany(kv => kv.Value.Select(to => (kv.Key, to)));
}
