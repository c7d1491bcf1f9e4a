using System.Globalization;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The retest steps of the case state machine (issue 12): once a relay was notified it is retested (RCPT only,
/// through the variants that relayed, no test message) on <c>Retests:Schedule</c> and whenever someone asks, never
/// more often than <c>Retests:MinInterval</c>; what a retest finds resolves, reopens, escalates or keeps the case.
/// A retest never moves the case to Probing: the relay is proven, and the question is only whether it still is open.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary><see cref="Probe.RequestedBy"/> of a retest the schedule queued.</summary>
    public const string Schedule = "schedule";

    /// <summary><see cref="Probe.RequestedBy"/> of a fresh probe the state machine queued on its own (an unreachable or unconfirmed case).</summary>
    public const string Reprobe = "schedule:reprobe";

    /// <summary>Whether a notice about the case went out, so that "probe it again" means a retest (the relay is proven and its owner told).</summary>
    public static bool IsNotified(Case c) => c.FirstNoticeAt is not null && c.State != CaseState.Closed;

    /// <summary>
    /// The dispatcher found a retest due: a probe of kind retest in RCPT-only mode through <paramref name="variants"/>
    /// (those of the probe that proved the relay; null: every variant). The case keeps its state.
    /// </summary>
    public static Probe QueueRetest(Case c, IReadOnlyList<string>? variants, string requestedBy, DateTimeOffset now)
    {
        var probe = new Probe
        {
            Key = ProbeToken.NewProbeKey(),
            Kind = ProbeKind.Retest,
            Mode = ProbeMode.RcptOnly,
            Variants = variants is null || variants.Count == 0 ? null : string.Join(',', variants),
            RequestedBy = requestedBy,
            QueuedAt = now,
            Status = ProbeStatus.Queued,
        };
        c.Probes.Add(probe);
        c.LastRetestAt = now;
        c.NextAction = null;
        c.NextActionAt = null;
        c.NextActionRequestedBy = null;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeQueued,
            $"Retest queued ({ProbeModeText.RcptOnly}, no test message, through {(probe.Variants is null ? "every variant" : $"variant {probe.Variants}")}; requested by {requestedBy})", null));
        return probe;
    }

    /// <summary>
    /// Someone asks for a retest (an operator, a "fixed" reply, a new report of a resolved relay, the owner page): due
    /// at the first moment <see cref="RetestOptions.MinInterval"/> allows after the latest retest, so a burst of
    /// requests runs one retest. A retest already due sooner, or one under way (a greylisting retry), answers it.
    /// Returns when the retest runs.
    /// </summary>
    public static DateTimeOffset RequestRetest(Case c, string actor, string why, RetestOptions options, DateTimeOffset now)
    {
        var at = c.LastRetestAt is { } last && last + options.MinInterval > now ? last + options.MinInterval : now;
        c.UpdatedAt = now;
        if (c.NextAction == CaseAction.RetryProbe && c.NextActionAt is { } retry)
        {
            c.Events.Add(Event(now, actor, CaseEventKind.Retest, Invariant($"Retest requested: {why}; the retest under way (a greylisting retry at {retry.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC) answers it"), null));
            return retry;
        }
        if (c.NextAction == CaseAction.Retest && c.NextActionAt is { } due && due <= at)
        {
            c.Events.Add(Event(now, actor, CaseEventKind.Retest, Invariant($"Retest requested: {why}; one is already due at {due.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"), null));
            return due;
        }
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = at;
        c.NextActionRequestedBy = actor;
        c.Events.Add(Event(now, actor, CaseEventKind.Retest, at > now
            ? Invariant($"Retest requested: {why}; runs at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Retests:MinInterval after the latest retest)")
            : $"Retest requested: {why}; runs now", null));
        return at;
    }

    /// <summary>
    /// An operator asks for a full confirmation of a notified relay: an initial probe with a signed test message,
    /// queued beside the retest schedule (which it leaves as it is); its verdict and canary are evidence on the case.
    /// The caller enqueues its job; if that is lost, the dispatcher's lost-probe sweep enqueues it again.
    /// </summary>
    public static Probe QueueFullConfirmation(Case c, string actor, ProbeMode mode, DateTimeOffset now)
    {
        var probe = new Probe { Key = ProbeToken.NewProbeKey(), Kind = ProbeKind.Initial, Mode = mode, RequestedBy = actor, QueuedAt = now, Status = ProbeStatus.Queued };
        c.Probes.Add(probe);
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.ProbeQueued, $"Full confirmation queued ({mode.ToText()} mode, with a signed test message), asked for by {actor}", null));
        return probe;
    }

    /// <summary>
    /// Records a finished retest (<see cref="Probe.RetestOutcome"/>) and decides what the case becomes and when it is
    /// retested next; returns which follow-up notices the caller plans (<see cref="FollowUpNotices"/>).
    /// <list type="bullet">
    /// <item>a variant accepted our canary recipient: open; every one refused for good (5xx, auth required): closed;</item>
    /// <item>temp-refused: retried with the same envelope after the server's delay (greylisting), up to
    /// <see cref="CasesOptions.MaxGreylistRetries"/>; only ever 4xx is inconclusive, never resolved;</item>
    /// <item>no session, a protocol error, an incomplete dialogue: inconclusive, tried again after
    /// <see cref="RetestOptions.InconclusiveRetryDelay"/> up to <see cref="RetestOptions.MaxInconclusiveInARow"/> times
    /// in a row, then at the next scheduled slot.</item>
    /// </list>
    /// </summary>
    public static RetestFollowUp RetestFinished(Case c, Probe p, ProbeResult r, RetestOptions retests, CasesOptions cases, RetestHistory history, DateTimeOffset now)
    {
        RecordResult(c, p, r);
        if (c.State == CaseState.Closed)
        {
            c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Retest {p.Key}: {r.Verdict}. {r.Reason} (the case is closed)", null));
            return RetestFollowUp.None;
        }
        if (r.Verdict == ProbeVerdict.TempRefused && p.EnvelopeRetry < cases.MaxGreylistRetries)
        {
            var (delay, asked) = GreylistDelay(r, cases);
            c.NextAction = CaseAction.RetryProbe;
            c.NextActionAt = now + delay;
            c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, Invariant(
                $"Retest {p.Key}: {r.Verdict}. {r.Reason}; retried with the same sender and recipient (greylisting retry {p.EnvelopeRetry + 1} of {cases.MaxGreylistRetries}) at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(asked ? "as the server asked" : "after Cases:GreylistRetryDelay")}"), null));
            return RetestFollowUp.None;
        }
        var outcome = r.Verdict switch
        {
            ProbeVerdict.RcptAccepted or ProbeVerdict.DataAccepted => RetestOutcome.Open,
            ProbeVerdict.Closed or ProbeVerdict.AuthRequired => RetestOutcome.Closed,
            _ => RetestOutcome.Inconclusive,
        };
        p.RetestOutcome = outcome;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Retest {p.Key}: {outcome} ({r.Verdict}). {r.Reason}", null));
        if (outcome == RetestOutcome.Inconclusive)
        {
            RetestInconclusive(c, retests, now);
            return RetestFollowUp.None;
        }
        c.InconclusiveInARow = 0;
        return outcome == RetestOutcome.Closed ? RetestFoundClosed(c, retests, now) : RetestFoundOpen(c, retests, history, now);
    }

    /// <summary>A retest that ran into an error inside Notifier: inconclusive, like an unreachable target.</summary>
    public static void RetestCrashed(Case c, Probe p, string error, RetestOptions retests, DateTimeOffset now)
    {
        Skip(p, $"internal error: {error}");
        p.RetestOutcome = RetestOutcome.Inconclusive;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Retest {p.Key} failed inside Notifier ({error}): inconclusive", null));
        if (c.State != CaseState.Closed) RetestInconclusive(c, retests, now);
    }

    /// <summary>
    /// The retest could not be run as asked (the engine refused the request: the variant that relayed is gone, the
    /// target is refused by configuration now): inconclusive, never resolved, and flagged for a person.
    /// </summary>
    public static void RetestNotRun(Case c, Probe p, string reason, RetestOptions retests, DateTimeOffset now)
    {
        Skip(p, $"not run: {reason}");
        p.RetestOutcome = RetestOutcome.Inconclusive;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Retest {p.Key} not run: {reason}; inconclusive, for an operator to look at", null));
        if (c.State != CaseState.Closed) RetestInconclusive(c, retests, now);
    }

    private static void RetestInconclusive(Case c, RetestOptions retests, DateTimeOffset now)
    {
        c.InconclusiveInARow++;
        if (c.InconclusiveInARow < retests.MaxInconclusiveInARow)
        {
            ScheduleRetest(c, now + retests.InconclusiveRetryDelay, retests, now,
                $"inconclusive retest {c.InconclusiveInARow} in a row; tried again after Retests:InconclusiveRetryDelay");
            return;
        }
        // Bounded: a relay that only ever says 4xx (or is down) is not hammered; the schedule goes on.
        var next = c.State == CaseState.Resolved ? now + retests.ResolvedRecheckAfter : NextScheduledRetest(c, retests, now);
        ScheduleRetest(c, next, retests, now, $"{c.InconclusiveInARow} inconclusive retests in a row (Retests:MaxInconclusiveInARow); the next scheduled retest");
    }

    private static RetestFollowUp RetestFoundClosed(Case c, RetestOptions retests, DateTimeOffset now)
    {
        if (c.State == CaseState.Resolved)
        {
            // The recheck after a resolution passed: nothing more is due; a new report or a request retests it again.
            c.NextAction = null;
            c.NextActionAt = null;
            c.Events.Add(Event(now, System, CaseEventKind.Retest, "The recheck found the relay still closed: it stays resolved, nothing more is due", null));
            return RetestFollowUp.None;
        }
        if (!CaseTransitions.IsAllowed(c.State, CaseState.Resolved)) return RetestFollowUp.None;
        Move(c, CaseState.Resolved, System, now, "a retest found the relay closed");
        c.ResolvedAt = now;
        ScheduleRetest(c, now + retests.ResolvedRecheckAfter, retests, now, "one recheck after Retests:ResolvedRecheckAfter (recidivism)");
        return RetestFollowUp.Resolved;
    }

    private static RetestFollowUp RetestFoundOpen(Case c, RetestOptions retests, RetestHistory history, DateTimeOffset now)
    {
        switch (c.State)
        {
            case CaseState.Resolved:
                // Recidivism: the history stays (ResolvedAt, the earlier notices); the schedule starts again from now.
                c.ReopenCount++;
                Move(c, CaseState.Reopened, System, now, $"a retest found the resolved relay open again (reopened {c.ReopenCount} time{(c.ReopenCount == 1 ? "" : "s")})");
                c.ScheduleFrom = now;
                c.RetestsDone = 0;
                ScheduleRetest(c, NextScheduledRetest(c, retests, now), retests, now, "the schedule starts again from the reopening");
                return RetestFollowUp.Reopened;
            case CaseState.Unresponsive:
                ScheduleRetest(c, now + retests.ThenEvery, retests, now, "unresponsive: retested every Retests:ThenEvery, no more notices");
                return RetestFollowUp.None;
            case CaseState.Escalated:
                var openSince = history.OpenRetestsSinceEscalation + 1;
                if (openSince >= retests.UnresponsiveAfterEscalatedRetests)
                {
                    Move(c, CaseState.Unresponsive, System, now, $"still open after {openSince} retests since the escalation (Retests:UnresponsiveAfterEscalatedRetests)");
                    ScheduleRetest(c, now + retests.ThenEvery, retests, now, "unresponsive: retested every Retests:ThenEvery, no more notices");
                    return RetestFollowUp.None;
                }
                ScheduleRetest(c, NextScheduledRetest(c, retests, now), retests, now, $"still open {openSince} retest{(openSince == 1 ? "" : "s")} after the escalation");
                return RetestFollowUp.None;
            default:
                ScheduleRetest(c, NextScheduledRetest(c, retests, now), retests, now, "still open");
                return c.State == CaseState.Monitoring && history.IgnoredNotices >= retests.EscalateAfterIgnoredNotices
                    ? RetestFollowUp.Escalation
                    : RetestFollowUp.StillOpen;
        }
    }

    /// <summary>
    /// The direct contacts ignored <paramref name="ignored"/> notices and the relay is still open: the upstream network's
    /// abuse contact <paramref name="upstream"/> is told (the caller plans the Escalation notice); its provenance on the timeline.
    /// </summary>
    public static void Escalate(Case c, string upstream, string evidenceJson, int ignored, DateTimeOffset now)
    {
        Move(c, CaseState.Escalated, System, now, $"{ignored} notices to the direct contacts went unanswered while the relay stayed open; the upstream network's abuse contact {upstream} is told");
        c.EscalatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.Note, $"Escalation to {upstream}: how it was found (RDAP)", evidenceJson));
    }

    /// <summary>Escalation was due but nobody upstream can be told: unresponsive, for a person to look at; still retested every <see cref="RetestOptions.ThenEvery"/>.</summary>
    public static void NobodyUpstream(Case c, int ignored, string why, RetestOptions retests, DateTimeOffset now)
    {
        Move(c, CaseState.Unresponsive, System, now, $"{ignored} notices went unanswered and there is nobody upstream to escalate to: {why}");
        c.NeedsAttention = true;
        ScheduleRetest(c, now + retests.ThenEvery, retests, now, "unresponsive: retested every Retests:ThenEvery, no more notices");
    }

    /// <summary>
    /// When the next scheduled retest is due: the schedule's next slot counted from <see cref="Case.ScheduleFrom"/>
    /// (the first notice, or the reopening), skipping slots that have passed; after the last slot, the latest retest
    /// plus <see cref="RetestOptions.ThenEvery"/>. Never sooner than <see cref="RetestOptions.MinInterval"/> from now.
    /// Advances <see cref="Case.RetestsDone"/> past the slots that have come.
    /// </summary>
    public static DateTimeOffset NextScheduledRetest(Case c, RetestOptions options, DateTimeOffset now)
    {
        var from = c.ScheduleFrom ?? c.FirstNoticeAt ?? now;
        var schedule = options.EffectiveSchedule;
        while (c.RetestsDone < schedule.Count && from + schedule[c.RetestsDone] <= now) c.RetestsDone++;
        var next = c.RetestsDone < schedule.Count ? from + schedule[c.RetestsDone] : (c.LastRetestAt ?? now) + options.ThenEvery;
        return next < now + options.MinInterval ? now + options.MinInterval : next;
    }

    /// <summary>
    /// The next <paramref name="count"/> retests the policy plans for the case as it is now (what is due first, then
    /// the schedule's remaining slots, then every <see cref="RetestOptions.ThenEvery"/>): what the API shows. Empty
    /// when the case is not retested (never notified, closed, resolved after its recheck).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> PlannedRetests(Case c, RetestOptions options, int count)
    {
        if (!IsNotified(c) || count <= 0) return [];
        var planned = new List<DateTimeOffset>();
        if (c.NextAction is CaseAction.Retest or CaseAction.RetryProbe && c.NextActionAt is { } due) planned.Add(due);
        if (c.State == CaseState.Resolved) return planned;
        var from = c.ScheduleFrom ?? c.FirstNoticeAt!.Value;
        var last = planned.Count > 0 ? planned[0] : c.LastRetestAt ?? from;
        var schedule = options.EffectiveSchedule;
        if (c.State != CaseState.Unresponsive)
        {
            foreach (var slot in schedule.Select(s => from + s).Where(s => s > last))
            {
                if (planned.Count >= count) return planned;
                planned.Add(slot);
                last = slot;
            }
        }
        while (planned.Count < count)
        {
            last += options.ThenEvery;
            planned.Add(last);
        }
        return planned;
    }

    /// <summary>
    /// The first notice went out (sent or carried): the case is monitored, and the retest schedule counts from now.
    /// Later notices (follow-ups, a failover's first notice) leave the schedule as it is.
    /// </summary>
    private static void FirstNoticeOut(Case c, RetestOptions retests, DateTimeOffset now)
    {
        if (c.FirstNoticeAt is not null || c.State != CaseState.Monitoring) return;
        c.FirstNoticeAt = now;
        c.ScheduleFrom = now;
        c.RetestsDone = 0;
        c.InconclusiveInARow = 0;
        ScheduleRetest(c, now + retests.EffectiveSchedule[0], retests, now, "the first notice went out; the retest schedule (Retests:Schedule) starts");
    }

    private static void ScheduleRetest(Case c, DateTimeOffset at, RetestOptions retests, DateTimeOffset now, string why)
    {
        if (at < now + retests.MinInterval && c.LastRetestAt is { } last && last + retests.MinInterval > at) at = last + retests.MinInterval;
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = at;
        c.NextActionRequestedBy = null;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.Retest, Invariant($"Next retest at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {why}"), null));
    }

    /// <summary>
    /// The next step of a case a probe left unreachable (never notified): a fresh probe after
    /// <see cref="RetestOptions.UnreachableReprobeAfter"/>, at most <see cref="RetestOptions.MaxUnreachableReprobes"/>
    /// times; then it stays unreachable for an operator. Nothing when something else is due already.
    /// </summary>
    public static void PlanUnreachableReprobe(Case c, RetestOptions retests, DateTimeOffset now)
    {
        if (c.State != CaseState.Unreachable || c.NextAction is not null) return;
        c.UpdatedAt = now;
        if (c.UnreachableReprobes >= retests.MaxUnreachableReprobes)
        {
            c.Events.Add(Event(now, System, CaseEventKind.Note, $"Unreachable after {c.UnreachableReprobes} fresh probes (Retests:MaxUnreachableReprobes): no more probes unless an operator asks", null));
            return;
        }
        c.UnreachableReprobes++;
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now + retests.UnreachableReprobeAfter;
        c.NextActionRequestedBy = Reprobe;
        c.Events.Add(Event(now, System, CaseEventKind.Note, Invariant(
            $"Unreachable: probed afresh at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Retests:UnreachableReprobeAfter; {c.UnreachableReprobes} of {retests.MaxUnreachableReprobes})"), null));
    }

    /// <summary>
    /// The next step of an accepts-but-drops (Unconfirmed) case: one fresh probe with a new test message after
    /// <see cref="RetestOptions.UnconfirmedReprobeAfter"/> (the canary may get through then), unless the probe that
    /// ended so was that fresh probe already (<paramref name="droppedProbeRequestedBy"/> is <see cref="Reprobe"/>).
    /// </summary>
    public static void PlanUnconfirmedReprobe(Case c, string? droppedProbeRequestedBy, RetestOptions retests, DateTimeOffset now)
    {
        if (c.State != CaseState.Unconfirmed || c.NextAction is not null) return;
        c.UpdatedAt = now;
        if (droppedProbeRequestedBy == Reprobe)
        {
            c.Events.Add(Event(now, System, CaseEventKind.Note, "Unconfirmed again after the fresh probe: nothing more is due; an operator decides (a notice anyway, or closing it)", null));
            return;
        }
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now + retests.UnconfirmedReprobeAfter;
        c.NextActionRequestedBy = Reprobe;
        c.Events.Add(Event(now, System, CaseEventKind.Note, Invariant(
            $"Unconfirmed: one fresh probe with a new test message at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Retests:UnconfirmedReprobeAfter)"), null));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a finished retest asks the caller to plan (<see cref="FollowUpNotices"/>).</summary>
public enum RetestFollowUp
{
    /// <summary>No notice.</summary>
    None,

    /// <summary>The relay is closed now: a thank-you to every address that was told.</summary>
    Resolved,

    /// <summary>Still open: a StillOpen notice to the direct contacts, per the re-notify rule.</summary>
    StillOpen,

    /// <summary>Resolved, and open again: a StillOpen notice to the contacts notified before.</summary>
    Reopened,

    /// <summary>Still open, and the direct contacts ignored enough notices: tell the upstream network.</summary>
    Escalation,
}

/// <summary>What the retest decision needs from the case's history (counted by the caller from the database).</summary>
/// <param name="IgnoredNotices">Notices to the direct contacts that no reply followed (<see cref="IgnoredNotices"/>).</param>
/// <param name="OpenRetestsSinceEscalation">Retests that found it open after <see cref="Case.EscalatedAt"/>, this one not counted.</param>
public sealed record RetestHistory(int IgnoredNotices, int OpenRetestsSinceEscalation);
