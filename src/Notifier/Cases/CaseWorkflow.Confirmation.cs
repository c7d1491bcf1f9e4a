using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The confirmation steps of the case state machine: after a relay queued our test message, the case waits for the
/// canary; it is confirmed when one arrives, or tries further test messages, or ends as accepts-but-drops.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// The canary arrived: the relay is proven (<paramref name="verdict"/> is <c>confirmed</c> or <c>multihop</c>).
    /// The probe keeps the new verdict, and finding the relay's contacts becomes due now.
    /// </summary>
    public static void Confirm(Case c, Probe p, string verdict, string why, DateTimeOffset now)
    {
        p.Verdict = verdict;
        c.LastVerdict = verdict;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {verdict}. {why}", null));
        // Already proven and being notified (or retested since): a later canary adds evidence, it does not start the
        // notices again. A Confirmed case looks its contacts up again.
        if (c.State == CaseState.Closed || (CaseState.IsProven(c.State) && c.State != CaseState.Confirmed)) return;
        if (!MoveIfAllowed(c, CaseState.Confirmed, System, now, why)) return;
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

    /// <summary>
    /// The window ended with nothing left to confirm (no test message of the case's latest probe, or its canary
    /// already arrived): the case waits for nothing more.
    /// </summary>
    public static void NothingToConfirm(Case c)
    {
        c.NextAction = null;
        c.NextActionAt = null;
    }

    /// <summary>A further test message was not sent because it is no longer needed (the case closed or confirmed meanwhile): on the timeline.</summary>
    public static void FurtherTestMessageNotNeeded(Case c, ProbeTestMessage m, string why, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.TestMessage, $"Test message {m.Sequence} (variant {m.Variant}) not sent: {why}", null));
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
        if (c.State == CaseState.Closed || CaseState.IsProven(c.State)) return;
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
        if (c.State == CaseState.Closed || CaseState.IsProven(c.State)) return;
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
        c.LastVerdict = ProbeVerdict.AcceptsButDrops;
        c.NextAction = null;
        c.NextActionAt = null;
        c.Events.Add(Event(now, System, CaseEventKind.ProbeFinished, $"Probe {p.Key}: {ProbeVerdict.AcceptsButDrops}. {why}", null));
        if (c.State == CaseState.Closed) return;
        MoveIfAllowed(c, CaseState.Unconfirmed, System, now, $"accepts-but-drops, a possible false positive: {why}");
    }
}
