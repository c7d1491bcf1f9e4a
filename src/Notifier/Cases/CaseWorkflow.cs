using System.Globalization;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The case state machine in one place: every transition sets the state, what is due next, and writes the
/// timeline events. Pure (no I/O) so that a 30-day case can be lived through in a test.
/// </summary>
public static partial class CaseWorkflow
{
    public const string System = "system";

    public static Case Open(string address, int port, string relayKey, string? source, string? note, string actor, DateTimeOffset now)
    {
        var c = new Case
        {
            Address = address,
            Port = port,
            RelayKey = relayKey,
            OpenRelayKey = relayKey,
            Source = source,
            Note = note,
            State = CaseState.New,
            CreatedAt = now,
            UpdatedAt = now,
            NextAction = CaseAction.Probe,
            NextActionAt = now,
        };
        c.Events.Add(Event(now, actor, CaseEventKind.Created, $"Case opened for {relayKey}" + (source is null ? "" : $" (source: {source})"), null));
        return c;
    }

    /// <summary>Another report of a relay that already has an open case.</summary>
    public static void AddReport(Case c, string? source, string? note, string actor, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Reported,
            $"Reported again{(source is null ? "" : $" by {source}")}{(note is null ? "" : $": {note}")}", null));
    }

    /// <summary>The dispatcher found a probe due: queue one, and count the attempt.</summary>
    public static Probe QueueProbe(Case c, string mode, DateTimeOffset now) =>
        Queue(c, new Probe { Key = ProbeToken.NewProbeKey(), Mode = mode, QueuedAt = now, Status = ProbeStatus.Queued }, now, "");

    /// <summary>
    /// A greylisting retry is due (<see cref="CaseAction.RetryProbe"/>): queue a probe with the key and token of
    /// <paramref name="retried"/>, so that it presents the same sender and recipient again.
    /// </summary>
    public static Probe QueueProbeRetry(Case c, Probe retried, DateTimeOffset now) =>
        Queue(c, new Probe
        {
            Key = retried.Key,
            Token = retried.Token,
            Mode = retried.Mode,
            RetryOfProbeId = retried.Id,
            EnvelopeRetry = retried.EnvelopeRetry + 1,
            QueuedAt = now,
            Status = ProbeStatus.Queued,
        }, now, $", same envelope as probe {retried.Key} (greylisting retry {retried.EnvelopeRetry + 1})");

    private static Probe Queue(Case c, Probe probe, DateTimeOffset now, string what)
    {
        c.Probes.Add(probe);
        c.ProbeAttempts++;
        c.NextAction = null;
        c.NextActionAt = null;
        Move(c, CaseState.Probing, System, now, $"probe attempt {c.ProbeAttempts} queued");
        c.Events.Add(Event(now, System, CaseEventKind.ProbeQueued, $"Probe queued ({probe.Mode} mode, attempt {c.ProbeAttempts}{what})", null));
        return probe;
    }

    /// <summary>Records a finished probe and decides what the case becomes and what is due next.</summary>
    public static void ProbeFinished(Case c, Probe p, ProbeResult r, CasesOptions options, DateTimeOffset now)
    {
        p.Status = ProbeStatus.Done;
        p.Verdict = r.Verdict;
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
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {r.Verdict}. {r.Reason}", null));
        if (c.State == CaseState.Closed) return;

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

    /// <summary>
    /// Temp-refused, as greylisting answers a new (client, sender, recipient) triple: retry with the same envelope
    /// after the wait the server named (capped at <see cref="CasesOptions.RetryMaxDelay"/>), else
    /// <see cref="CasesOptions.GreylistRetryDelay"/>.
    /// </summary>
    private static void RetrySameEnvelope(Case c, ProbeResult r, CasesOptions options, DateTimeOffset now)
    {
        var asked = ServerRetryDelay.From(r.Variants.Select(v => v.RcptReply ?? v.MailReply));
        var delay = asked is { } a ? TimeSpan.FromTicks(Math.Clamp(a.Ticks, TimeSpan.TicksPerSecond, options.RetryMaxDelay.Ticks)) : options.GreylistRetryDelay;
        c.NextAction = CaseAction.RetryProbe;
        c.NextActionAt = now + delay;
        Move(c, CaseState.Deferred, System, now, string.Create(CultureInfo.InvariantCulture,
            $"{r.Verdict}; retry {c.ProbeAttempts + 1} of {options.MaxProbeAttempts} with the same sender and recipient (greylisting) at {c.NextActionAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(asked is null ? "after Cases:GreylistRetryDelay" : "as the server asked")}"));
    }

    /// <summary>
    /// The canary arrived: the relay is proven (<paramref name="verdict"/> is <c>confirmed</c> or <c>multihop</c>).
    /// The probe keeps the new verdict, and finding the relay's contacts becomes due now.
    /// </summary>
    public static void Confirm(Case c, Probe p, string verdict, string why, DateTimeOffset now)
    {
        p.Verdict = verdict;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {verdict}. {why}", null));
        if (c.State == CaseState.Closed) return;
        Move(c, CaseState.Confirmed, System, now, why);
        c.NextAction = CaseAction.LookupContacts;
        c.NextActionAt = now;
    }

    /// <summary>
    /// After <see cref="ProbeFinished"/>: when the relay queued our test message, record it and wait
    /// <paramref name="window"/> for the canary (<see cref="CaseAction.AwaitCanary"/>).
    /// </summary>
    public static void TestMessageSent(Case c, Probe p, ProbeResult r, TimeSpan window, DateTimeOffset now)
    {
        if (r.MessageId is null || r.DataVariant is null) return;
        var accepted = r.Verdict == ProbeVerdict.DataAccepted;
        p.TestMessages.Add(new ProbeTestMessage
        {
            Sequence = p.TestMessages.Count + 1,
            Variant = r.DataVariant,
            VariantClass = r.Variants.FirstOrDefault(v => v.Name == r.DataVariant)?.Class,
            Status = accepted ? TestMessageStatus.Sent : TestMessageStatus.NotSent,
            Token = r.Token,
            Target = r.Target,
            TargetHostName = r.HostName,
            MessageId = r.MessageId,
            QueuedAt = r.StartedAt,
            SentAt = r.FinishedAt,
            DataReply = r.DataReply,
        });
        if (!accepted || c.State != CaseState.Suspected) return;
        c.NextAction = CaseAction.AwaitCanary;
        c.NextActionAt = now + window;
    }

    /// <summary>The window ran out with no canary: a further test message through another accepted variant is queued.</summary>
    public static ProbeTestMessage QueueFurtherTestMessage(Case c, Probe p, VariantResult variant, string target, string? hostName, TimeSpan window, DateTimeOffset now)
    {
        var m = new ProbeTestMessage
        {
            Sequence = p.TestMessages.Count + 1,
            Variant = variant.Name,
            VariantClass = variant.Class,
            Status = TestMessageStatus.Queued,
            Target = target,
            TargetHostName = hostName,
            QueuedAt = now,
        };
        p.TestMessages.Add(m);
        // Still the schedule: if the job is lost, the window ends again and this message counts as not sent.
        c.NextAction = CaseAction.AwaitCanary;
        c.NextActionAt = now + window;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.TestMessage,
            $"No canary within the confirmation window; test message {m.Sequence} queued through variant {variant.Name} ({variant.Class})", null));
        return m;
    }

    /// <summary>A further test message went out (or did not): the window starts again from now.</summary>
    public static void FurtherTestMessageFinished(Case c, ProbeTestMessage m, ProbeResult r, TimeSpan window, DateTimeOffset now)
    {
        var accepted = r.Verdict == ProbeVerdict.DataAccepted && r.MessageId is not null;
        m.Status = accepted ? TestMessageStatus.Sent : TestMessageStatus.NotSent;
        m.Token = r.Token;
        m.MessageId = r.MessageId;
        m.SentAt = r.FinishedAt;
        m.DataReply = r.DataReply ?? r.Reason;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.TestMessage,
            accepted
                ? $"Test message {m.Sequence} (variant {m.Variant}) queued by the relay: {r.DataReply}"
                : $"Test message {m.Sequence} (variant {m.Variant}) not taken: {r.Verdict}. {r.Reason}", null));
        if (c.State is CaseState.Closed or CaseState.Confirmed) return;
        c.NextAction = CaseAction.AwaitCanary;
        c.NextActionAt = accepted ? now + window : now;
    }

    /// <summary>
    /// The job sending a further test message died mid-send: whether the relay took it is unknown, so it is not sent
    /// again, and the case waits a whole window from now for its canary (its token was stored before the send).
    /// </summary>
    public static void FurtherTestMessageInterrupted(Case c, ProbeTestMessage m, TimeSpan window, DateTimeOffset now)
    {
        m.Status = TestMessageStatus.Interrupted;
        m.DataReply = "interrupted mid-send (the sending process stopped); the relay may have taken it; not sent again";
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.TestMessage,
            $"Test message {m.Sequence} (variant {m.Variant}) was interrupted mid-send: it may have gone out, so it is not sent again; its canary still counts if it arrives", null));
        if (c.State is CaseState.Closed or CaseState.Confirmed) return;
        c.NextAction = CaseAction.AwaitCanary;
        c.NextActionAt = now + window;
    }

    /// <summary>
    /// No test message arrived within the window and no further variant is left to try: the relay accepts mail and
    /// drops it (or delivers it somewhere else). Possibly a false positive, so the case is not treated as open.
    /// </summary>
    public static void AcceptsButDrops(Case c, Probe p, string why, DateTimeOffset now)
    {
        p.Verdict = ProbeVerdict.AcceptsButDrops;
        c.NextAction = null;
        c.NextActionAt = null;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {ProbeVerdict.AcceptsButDrops}. {why}", null));
        if (c.State == CaseState.Closed) return;
        Move(c, CaseState.Unconfirmed, System, now, $"accepts-but-drops, a possible false positive: {why}");
    }

    /// <summary>Mail about the case arrived (a bounce, an auto-reply, a reply): on the timeline, and flagged when a person should read it.</summary>
    public static void MailReceived(Case c, string kind, string summary, bool needsAttention, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        if (needsAttention) c.NeedsAttention = true;
        c.Events.Add(Event(now, "inbox", kind, summary, null));
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
        if (c.State != CaseState.Closed) Close(c, System, now, $"cannot be probed: {reason}");
    }

    /// <summary>The probe failed inside Notifier (not the target's doing): retried like an unreachable target, boundedly.</summary>
    public static void ProbeCrashed(Case c, Probe p, string error, CasesOptions options, DateTimeOffset now)
    {
        Skip(p, $"internal error: {error}");
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFailed, $"Probe {p.Key} failed inside Notifier ({error})", null));
        if (c.State != CaseState.Closed) RetryOrGiveUp(c, options, now, "internal error");
    }

    /// <summary>The target was probed too recently: run again when allowed, without counting an attempt.</summary>
    public static void ProbeThrottled(Case c, Probe p, string reason, DateTimeOffset retryAt, DateTimeOffset now)
    {
        Skip(p, reason);
        c.ProbeAttempts = Math.Max(0, c.ProbeAttempts - 1);
        c.Events.Add(Event(now, System, CaseEventKind.ProbeDeferred, $"Probe {p.Key} postponed to {retryAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {reason}", null));
        if (c.State == CaseState.Closed) return;
        Move(c, CaseState.Deferred, System, now, "probe postponed");
        // A postponed greylisting retry stays one: it still has to present the envelope of the attempt it retries.
        c.NextAction = p.RetryOfProbeId is null ? CaseAction.Probe : CaseAction.RetryProbe;
        c.NextActionAt = retryAt;
    }

    /// <summary>An operator (or the API) asks for a probe now.</summary>
    public static void RequestProbe(Case c, string actor, DateTimeOffset now, string why)
    {
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now;
        c.ProbeAttempts = 0;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Note, $"Probe requested: {why}", null));
    }

    public static void Close(Case c, string actor, DateTimeOffset now, string why)
    {
        Move(c, CaseState.Closed, actor, now, why);
        c.OpenRelayKey = null;
        c.NextAction = null;
        c.NextActionAt = null;
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
    public static TimeSpan RetryDelay(int attempts, CasesOptions options)
    {
        var factor = Math.Pow(2, Math.Max(0, attempts - 1));
        var ticks = Math.Min(options.RetryMaxDelay.Ticks, options.RetryBaseDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    private static void Move(Case c, string to, string actor, DateTimeOffset now, string why)
    {
        c.UpdatedAt = now;
        if (c.State == to) return;
        c.Events.Add(Event(now, actor, CaseEventKind.StateChanged, $"{c.State} → {to}: {why}", null));
        c.State = to;
    }

    public static CaseEvent Event(DateTimeOffset at, string actor, string kind, string summary, string? data) =>
        new() { At = at, Actor = actor, Kind = kind, Summary = summary, Data = data };
}
