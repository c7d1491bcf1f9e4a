using System.Globalization;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The probing steps of the case state machine: a probe queued, finished, skipped or postponed, and the retries
/// (backoff, greylisting) it leads to.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>The dispatcher found a probe due: queue one, and count the attempt.</summary>
    public static Probe QueueProbe(Case c, ProbeMode mode, DateTimeOffset now) =>
        Queue(c, new Probe { Key = ProbeToken.NewProbeKey(), Mode = mode, QueuedAt = now, Status = ProbeStatus.Queued, RequestedBy = c.NextActionRequestedBy }, now, "");

    /// <summary>
    /// A greylisting retry is due (<see cref="CaseAction.RetryProbe"/>): queue a probe with the key and token of
    /// <paramref name="retried"/>, so that it presents the same sender and recipient again; a retest's retry is a
    /// retest through the same variants for the same requester.
    /// </summary>
    public static Probe QueueProbeRetry(Case c, Probe retried, DateTimeOffset now) =>
        Queue(c, new Probe
        {
            Key = retried.Key,
            Token = retried.Token,
            Mode = retried.Mode,
            Kind = retried.Kind,
            Variants = retried.Variants,
            RequestedBy = retried.RequestedBy,
            RetryOfProbeId = retried.Id,
            EnvelopeRetry = retried.EnvelopeRetry + 1,
            QueuedAt = now,
            Status = ProbeStatus.Queued,
        }, now, $", same envelope as probe {retried.Key} (greylisting retry {retried.EnvelopeRetry + 1})");

    private static Probe Queue(Case c, Probe probe, DateTimeOffset now, string what)
    {
        c.Probes.Add(probe);
        c.NextAction = null;
        c.NextActionAt = null;
        c.NextActionRequestedBy = null;
        if (probe.Kind == ProbeKind.Retest)
        {
            // A retest's greylisting retry: still a retest, so the case keeps its state and no probe attempt is counted.
            c.LastRetestAt = now;
            c.UpdatedAt = now;
            c.Events.Add(Event(now, System, CaseEventKind.ProbeQueued, $"Retest queued ({probe.Mode.ToText()}{what})", null));
            return probe;
        }
        c.ProbeAttempts++;
        c.UpdatedAt = now;
        // The move to Probing is the queueing's one timeline line (its why names the attempt and the mode): a second
        // line saying the same was a fifth of a closed case's events (issue 17: at most 5 KB per closed case). A case
        // already probing, or being notified (a first notice under way: the probe is evidence and moves nothing), gets
        // the probe-queued line instead.
        var queued = $"probe attempt {c.ProbeAttempts} queued ({probe.Mode.ToText()} mode{what})";
        if (c.State != CaseState.Probing && CaseTransitions.IsAllowed(c.State, CaseState.Probing))
            Move(c, CaseState.Probing, System, now, queued);
        else
            c.Events.Add(Event(now, System, CaseEventKind.ProbeQueued, $"Probe queued ({probe.Mode.ToText()} mode, attempt {c.ProbeAttempts}{what})", null));
        return probe;
    }

    /// <summary>
    /// Records a finished probe and decides what the case becomes and what is due next. Only a case that is Probing
    /// moves on a verdict: on a case that moved on meanwhile (another probe's verdict, a notice under way, a full
    /// confirmation of a notified relay) the probe is kept as evidence.
    /// </summary>
    public static void ProbeFinished(Case c, Probe p, ProbeResult r, CasesOptions options, DateTimeOffset now)
    {
        RecordResult(c, p, r);
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {r.Verdict}. {r.Reason}", null));
        if (c.State == CaseState.Closed) return;
        if (c.State != CaseState.Probing)
        {
            c.UpdatedAt = now;
            c.Events.Add(Event(now, System, CaseEventKind.Note, $"Probe {p.Key} kept as evidence: the case is {c.State}, not probing", null));
            return;
        }

        switch (r.Verdict)
        {
            case ProbeVerdict.RcptAccepted or ProbeVerdict.DataAccepted:
                c.ProbeAttempts = 0;
                Move(c, CaseState.Suspected, System, now, $"the server accepted a recipient at our canary domain ({r.AcceptedClass})");
                break;
            case ProbeVerdict.Closed or ProbeVerdict.AuthRequired:
                c.ProbeAttempts = 0;
                Move(c, CaseState.NotRelay, System, now, r.Verdict == ProbeVerdict.Closed ? "every relay attempt was refused" : "the server requires authentication");
                break;
            case ProbeVerdict.TempRefused when p.EnvelopeRetry < options.MaxGreylistRetries && c.ProbeAttempts < options.MaxProbeAttempts:
                RetrySameEnvelope(c, r, options, now);
                break;
            default:
                RetryOrGiveUp(c, options, now, r.Verdict);
                break;
        }
    }

    /// <summary>What a finished probe (initial or retest) found, on its row; the lease given back.</summary>
    private static void RecordResult(Case c, Probe p, ProbeResult r)
    {
        // What the case list shows and filters by: the latest name and MTA seen (a probe that saw none keeps the earlier ones).
        if (r.HostName is not null) c.HostName = r.HostName;
        if (r.Mta is not null && r.Mta != MtaFingerprint.Unknown) c.Mta = r.Mta;
        p.Status = ProbeStatus.Done;
        p.Verdict = r.Verdict;
        c.LastVerdict = r.Verdict;
        p.Reason = r.Reason;
        p.Mta = r.Mta;
        p.Token = r.Token;
        p.CanaryAddress = r.CanaryAddress;
        p.AcceptedVariants = r.AcceptedVariants.Count == 0 ? null : string.Join(',', r.AcceptedVariants);
        p.AcceptedClass = r.AcceptedClass;
        p.DataReply = r.DataReply;
        p.StartedAt = r.StartedAt;
        p.FinishedAt = r.FinishedAt;
        p.LeaseOwner = null;
        p.LeaseUntil = null;
        p.ResultJson = ProbeResultJson.Serialize(r);
        p.LiveTranscript = null;
    }

    /// <summary>How long greylisting wants: the wait the server named (capped at <see cref="CasesOptions.RetryMaxDelay"/>), else <see cref="CasesOptions.GreylistRetryDelay"/>.</summary>
    private static (TimeSpan Delay, bool Asked) GreylistDelay(ProbeResult r, CasesOptions options)
    {
        var asked = ServerRetryDelay.From(r.Variants.Select(v => v.RcptReply ?? v.MailReply));
        return asked is { } a
            ? (TimeSpan.FromTicks(Math.Clamp(a.Ticks, TimeSpan.TicksPerSecond, options.RetryMaxDelay.Ticks)), true)
            : (options.GreylistRetryDelay, false);
    }

    /// <summary>
    /// Temp-refused, as greylisting answers a new (client, sender, recipient) triple: retry with the same envelope
    /// after the wait the server named (capped at <see cref="CasesOptions.RetryMaxDelay"/>), else
    /// <see cref="CasesOptions.GreylistRetryDelay"/>.
    /// </summary>
    private static void RetrySameEnvelope(Case c, ProbeResult r, CasesOptions options, DateTimeOffset now)
    {
        var (delay, asked) = GreylistDelay(r, options);
        c.NextAction = CaseAction.RetryProbe;
        c.NextActionAt = now + delay;
        Move(c, CaseState.Deferred, System, now, string.Create(CultureInfo.InvariantCulture,
            $"{r.Verdict}; retry {c.ProbeAttempts + 1} of {options.MaxProbeAttempts} with the same sender and recipient (greylisting) at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(!asked ? "after Cases:GreylistRetryDelay" : "as the server asked")}"));
    }

    /// <summary>The probe was not (fully) run: no verdict, the reason kept, the lease given back.</summary>
    private static void Skip(Probe p, string reason)
    {
        p.Status = ProbeStatus.Skipped;
        p.Reason = reason;
        p.LeaseOwner = null;
        p.LeaseUntil = null;
    }

    /// <summary>The case was closed before its probe ran: the probe is not run, and the closed case stays as it is.</summary>
    public static void ProbeNotNeeded(Case c, Probe p, DateTimeOffset now)
    {
        Skip(p, "not run: the case was closed before the probe started");
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Probe {p.Key} not run: the case is closed", null));
    }

    /// <summary>The probe could not run (target refused by configuration): the case cannot be worked.</summary>
    public static void ProbeRefused(Case c, Probe p, string reason, DateTimeOffset now)
    {
        Skip(p, reason);
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Probe {p.Key} not run: {reason}", null));
        if (c.State != CaseState.Closed) Close(c, System, CloseReason.CannotProbe, reason, now);
    }

    /// <summary>The probe failed inside Notifier (not the target's doing): retried like an unreachable target, boundedly.</summary>
    public static void ProbeCrashed(Case c, Probe p, string error, CasesOptions options, DateTimeOffset now)
    {
        Skip(p, $"internal error: {error}");
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Probe {p.Key} failed inside Notifier ({error})", null));
        if (c.State == CaseState.Probing) RetryOrGiveUp(c, options, now, "internal error");
    }

    /// <summary>The target was probed too recently: run again when allowed, without counting an attempt.</summary>
    public static void ProbeThrottled(Case c, Probe p, string reason, DateTimeOffset retryAt, DateTimeOffset now)
    {
        Skip(p, reason);
        if (p.Kind != ProbeKind.Retest) c.ProbeAttempts = Math.Max(0, c.ProbeAttempts - 1);
        c.Events.Add(Event(now, System, CaseEventKind.ProbeDeferred, $"Probe {p.Key} postponed to {retryAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {reason}", null));
        if (c.State == CaseState.Closed) return;
        if (p.Kind == ProbeKind.Retest)
        {
            // The throttle's own per-target interval is under the retest policy: the retest runs when it allows.
            c.NextAction = p.RetryOfProbeId is null ? CaseAction.Retest : CaseAction.RetryProbe;
            c.NextActionAt = retryAt;
            c.NextActionRequestedBy = p.RequestedBy == Schedule ? null : p.RequestedBy;
            return;
        }
        if (c.State != CaseState.Probing) return;
        Move(c, CaseState.Deferred, System, now, "probe postponed");
        // A postponed greylisting retry stays one: it still has to present the envelope of the attempt it retries.
        c.NextAction = p.RetryOfProbeId is null ? CaseAction.Probe : CaseAction.RetryProbe;
        c.NextActionAt = retryAt;
        c.NextActionRequestedBy = p.RequestedBy;
    }

    /// <summary>An operator (or the API) asks for a probe now (of a case never notified; a notified one gets <see cref="RequestRetest"/>).</summary>
    public static void RequestProbe(Case c, string actor, DateTimeOffset now, string why)
    {
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now;
        c.NextActionRequestedBy = actor;
        c.ProbeAttempts = 0;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Note, $"Probe requested: {why}", null));
    }

    private static void RetryOrGiveUp(Case c, CasesOptions options, DateTimeOffset now, string verdict)
    {
        if (c.ProbeAttempts >= options.MaxProbeAttempts)
        {
            Move(c, CaseState.Unreachable, System, now, $"{verdict} after {c.ProbeAttempts} attempts; no more retries");
            return;
        }
        var delay = RetryDelay(c.ProbeAttempts, options);
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now + delay;
        Move(c, CaseState.Deferred, System, now,
            string.Create(CultureInfo.InvariantCulture, $"{verdict}; retry {c.ProbeAttempts + 1} of {options.MaxProbeAttempts} at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
    }

    /// <summary>Exponential backoff: base, 2×base, 4×base … capped.</summary>
    public static TimeSpan RetryDelay(int attempts, CasesOptions options) => Backoff.Delay(attempts, options.RetryBaseDelay, options.RetryMaxDelay);
}
