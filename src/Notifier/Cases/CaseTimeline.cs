namespace Notifier.Cases;

/// <summary>One line of the case page's timeline (built here with the case read queries; the page shows it): what happened when, of which kind, and where its detail is on the page.</summary>
/// <param name="Kind">
/// <c>event</c>, <c>probe</c>, <c>notice</c> or <c>reply</c>: the item's class is <c>kind-&lt;Kind&gt;</c> (the browser
/// tests and case.css read it).
/// </param>
/// <param name="What">The event kind (<see cref="CaseEventKind"/>), the probe's verdict or status, the notice's or the reply's state.</param>
/// <param name="Anchor">The id of the entry's detail on the page (<c>probe-12</c>, <c>notice-3</c>, <c>reply-7</c>; an event's own line).</param>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string What, string? Actor, string Summary, string Anchor);

/// <summary>A reply threaded to the case, as the case page shows it (without its bytes).</summary>
public sealed record CaseReplyView(long Id, DateTimeOffset At, string? From, string? Subject, string? Intent, string? HeldIntent, string? Detail);

/// <summary>
/// The case page's one timeline: every event, probe, notice and reply of the case, newest first (as the rest of the
/// page: the latest probe and notice lead their sections too). Equal times keep the order they were recorded in,
/// newest first, so a probe queued with its event reads in the order it happened.
/// </summary>
public static class CaseTimeline
{
    public static IReadOnlyList<TimelineEntry> Build(CaseDetail detail, IReadOnlyList<CaseReplyView> replies)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(replies);
        var entries = new List<(TimelineEntry Entry, int Source, long Sequence)>();
        foreach (var e in detail.Events)
            entries.Add((new TimelineEntry(e.At, "event", e.Kind, e.Actor, e.Summary, $"event-{e.Id}"), 0, e.Id));
        foreach (var p in detail.Probes)
        {
            var what = p.Verdict ?? p.Status;
            var summary = $"{(p.Kind == ProbeKind.Retest ? "Retest" : "Probe")} {p.Key} ({p.ModeText}): {what}"
                + (p.Mta is null ? "" : $", {p.Mta}") + (p.AcceptedVariants.Count == 0 ? "" : $", accepted {string.Join(", ", p.AcceptedVariants)}");
            entries.Add((new TimelineEntry(p.StartedAt ?? p.QueuedAt, "probe", what, p.RequestedBy, summary, $"probe-{p.Id}"), 1, p.Id));
        }
        foreach (var n in detail.Notices)
        {
            var summary = $"Notice {n.Id}: {n.Kind} to {n.Recipient}, {n.State}" + (n.EditedAt is null ? "" : " (text edited)");
            entries.Add((new TimelineEntry(n.SentAt ?? n.CreatedAt, "notice", n.State, n.ApprovedBy, summary, $"notice-{n.Id}"), 2, n.Id));
        }
        foreach (var r in replies)
        {
            var summary = $"Reply {r.Id} from {r.From ?? "an unknown sender"}: {r.Subject ?? "(no subject)"}" + (r.Intent is null ? "" : $" — {r.Intent}");
            entries.Add((new TimelineEntry(r.At, "reply", r.HeldIntent is null ? r.Intent ?? "reply" : $"held {r.HeldIntent}", r.From, summary, $"reply-{r.Id}"), 3, r.Id));
        }
        return entries.OrderByDescending(x => x.Entry.At).ThenByDescending(x => x.Source).ThenByDescending(x => x.Sequence).Select(x => x.Entry).ToList();
    }
}
