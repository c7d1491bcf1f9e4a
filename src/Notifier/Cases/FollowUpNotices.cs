using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Who gets a follow-up notice after a retest, and when (what it says is the templates'): a Resolved thank-you to
/// every address that was told, a StillOpen to the direct contacts the re-notify rule lets through (all of them
/// after a reopening), an Escalation to the upstream network's abuse contact. Queued at once unless
/// <c>Notices:RequireApprovalForFollowUps</c>; suppressions always win, and none goes to a contact disabled for the case. Tracked, not saved: the caller saves them
/// with the retest's outcome in one transaction.
/// </summary>
public sealed class FollowUpNotices(NotifierDb db, NoticeSuppressions suppressions, IOptions<NoticePolicyOptions> options, IOptions<RetestOptions> retests)
{
    private static readonly string[] Told = [NoticeState.Sent, NoticeState.Carried];
    private static readonly string[] UnderWay = [NoticeState.AwaitingApproval, NoticeState.Queued, NoticeState.Sending];

    /// <summary>Plans what <paramref name="followUp"/> asks for; returns the planned notices.</summary>
    public async Task<IReadOnlyList<Notice>> PlanAsync(Case c, RetestFollowUp followUp, RetestHistory history, DateTimeOffset now, CancellationToken ct) => followUp switch
    {
        RetestFollowUp.Resolved => await PlanResolvedAsync(c, now, ct),
        RetestFollowUp.StillOpen => await PlanStillOpenAsync(c, renotify: true, now, ct),
        RetestFollowUp.Reopened => await PlanStillOpenAsync(c, renotify: false, now, ct),
        RetestFollowUp.Escalation => await PlanEscalationAsync(c, history.IgnoredNotices, now, ct),
        _ => [],
    };

    /// <summary>
    /// A thank-you to every address that got a notice of the case (sent or carried), once per resolution; a notice
    /// still under way that says it is open (StillOpen, Reminder, Escalation) is moot now and cancelled.
    /// </summary>
    public async Task<IReadOnlyList<Notice>> PlanResolvedAsync(Case c, DateTimeOffset now, CancellationToken ct)
    {
        var resolvedKind = nameof(NoticeKind.Resolved);
        foreach (var moot in await db.Notices.Where(n => n.CaseId == c.Id && UnderWay.Contains(n.State) && n.State != NoticeState.Sending && n.Kind != resolvedKind).ToListAsync(ct))
            CaseWorkflow.CancelNotice(c, moot, CaseWorkflow.System, "a retest found the relay closed", otherUnderWay: true, now);
        var since = c.ResolvedAt ?? now;
        var thanked = (await db.Notices.AsNoTracking().Where(n => n.CaseId == c.Id && n.Kind == resolvedKind && n.State != NoticeState.Cancelled)
            .Select(n => new { n.Recipient, n.CreatedAt }).ToListAsync(ct)).Where(n => n.CreatedAt >= since).Select(n => n.Recipient).ToHashSet(StringComparer.Ordinal);
        var planned = new List<Notice>();
        foreach (var (recipient, contactId) in await ToldAsync(c.Id, directOnly: false, ct))
        {
            if (thanked.Contains(recipient)) continue;
            if (await PlanAsync(c, nameof(NoticeKind.Resolved), recipient, contactId, "a retest found the relay closed: thank you", now, ct) is { } n) planned.Add(n);
        }
        return planned;
    }

    /// <summary>
    /// StillOpen to the direct contacts that were told: with <paramref name="renotify"/>, only those whose latest
    /// notice is older than <c>Notices:RenotifyAfter</c>; without (a reopened relay), all of them. None to an address
    /// with a notice of the case under way.
    /// </summary>
    public async Task<IReadOnlyList<Notice>> PlanStillOpenAsync(Case c, bool renotify, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now - TimeSpan.FromDays(options.Value.RenotifyAfter);
        var notices = await db.Notices.AsNoTracking().Where(n => n.CaseId == c.Id)
            .Select(n => new { n.Recipient, n.State, n.SentAt }).ToListAsync(ct);
        var planned = new List<Notice>();
        foreach (var (recipient, contactId) in await ToldAsync(c.Id, directOnly: true, ct))
        {
            var mine = notices.Where(n => n.Recipient == recipient).ToList();
            if (mine.Any(n => UnderWay.Contains(n.State))) continue;
            if (renotify && mine.Where(n => Told.Contains(n.State)).Max(n => n.SentAt) > cutoff) continue;
            var why = renotify ? "a retest found the relay still open" : "the resolved relay was found open again";
            if (await PlanAsync(c, nameof(NoticeKind.StillOpen), recipient, contactId, why, now, ct) is { } n) planned.Add(n);
        }
        return planned;
    }

    /// <summary>
    /// The upstream contact: among the case's contacts found through RDAP, the least specific network (smallest
    /// prefix) whose abuse address was not told yet, active and not suppressed; its evidence is the provenance.
    /// With none, the case is unresponsive and needs a person.
    /// </summary>
    public async Task<IReadOnlyList<Notice>> PlanEscalationAsync(Case c, int ignored, DateTimeOffset now, CancellationToken ct)
    {
        var told = (await db.Notices.AsNoTracking().Where(n => n.CaseId == c.Id && n.State != NoticeState.Cancelled).Select(n => n.Recipient).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var rdap = ContactText.Of(ContactSource.Rdap);
        var active = ContactText.Of(ContactStatus.Active);
        var upstream = await db.CaseContacts.AsNoTracking()
            .Where(x => x.CaseId == c.Id && x.Source == rdap && x.Status == active && x.NetworkPrefixLength != null)
            .OrderBy(x => x.NetworkPrefixLength).ThenBy(x => x.Rank).ToListAsync(ct);
        foreach (var contact in upstream.Where(x => !told.Contains(x.Address)))
        {
            if (await suppressions.FindAsync(contact.Address, ct) is not null) continue;
            CaseWorkflow.Escalate(c, contact.Address, contact.EvidenceJson, ignored, now);
            var notice = await PlanAsync(c, nameof(NoticeKind.Escalation), contact.Address, contact.Id,
                $"the direct contacts ignored {ignored} notices; the RDAP abuse contact of the covering network (/{contact.NetworkPrefixLength})", now, ct);
            return notice is null ? [] : [notice];
        }
        CaseWorkflow.NobodyUpstream(c, ignored, upstream.Count == 0
            ? "no RDAP network contact of a covering network is known"
            : "every RDAP network contact was told already or is suppressed", retests.Value, now);
        return [];
    }

    /// <summary>The addresses that got a notice of the case (sent or carried), with the contact row of their latest one.</summary>
    private async Task<List<(string Recipient, long? ContactId)>> ToldAsync(int caseId, bool directOnly, CancellationToken ct)
    {
        var escalation = nameof(NoticeKind.Escalation);
        var resolved = nameof(NoticeKind.Resolved);
        var rows = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == caseId && Told.Contains(n.State) && (!directOnly || (n.Kind != escalation && n.Kind != resolved)))
            .OrderBy(n => n.Id).Select(n => new { n.Recipient, n.CaseContactId }).ToListAsync(ct);
        return rows.GroupBy(r => r.Recipient, StringComparer.Ordinal).Select(g => (g.Key, g.Last().CaseContactId)).ToList();
    }

    private async Task<Notice?> PlanAsync(Case c, string kind, string recipient, long? contactId, string why, DateTimeOffset now, CancellationToken ct)
    {
        // A contact disabled for the case (an operator's rule, or the contact's own "not our server" on the owner page)
        // was told before it was disabled: it gets no follow-up either.
        var disabled = ContactText.Of(ContactStatus.OperatorDisabled);
        if (await db.CaseContacts.AsNoTracking().AnyAsync(x => x.CaseId == c.Id && x.Address == recipient && x.Status == disabled, ct))
        {
            CaseWorkflow.NoticeNotPlanned(c, $"{kind} to {recipient}: disabled for this case", false, now);
            return null;
        }
        if (await suppressions.FindAsync(recipient, ct) is { } s)
        {
            CaseWorkflow.NoticeNotPlanned(c, $"{kind} to {recipient}: suppressed ({s.Value}: {s.Reason})", false, now);
            return null;
        }
        var approvedBy = options.Value.RequireApprovalForFollowUps ? null : CaseWorkflow.System;
        var n = CaseWorkflow.PlanNotice(c, kind, recipient, contactId, approvedBy, null, now, CaseWorkflow.System, why, now);
        db.Notices.Add(n);
        return n;
    }
}
