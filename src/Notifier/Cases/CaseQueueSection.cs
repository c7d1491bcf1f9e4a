using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// The sections of the operators' queue (the home page): each names open cases that need a person now and why. The
/// case list and <c>GET /api/cases</c> filter by the same definitions (<c>?section=</c>), so "see all" shows exactly
/// the cases the section counted. Each is one SQL predicate over the indexed tables (no query per case).
/// </summary>
public sealed record CaseQueueSection(string Id, string Title, string Empty)
{
    /// <summary>
    /// A reply arrived (the inbox flagged the case) and a person reads it; its classified intent is shown. What the
    /// contact said on the owner page ("not our server", "don't contact us", a note) is a reply too (<see cref="ReplyKinds"/>).
    /// </summary>
    public static readonly CaseQueueSection Replies = new("replies", "Replies needing attention", "No replies are waiting.");

    /// <summary>The timeline events that are a contact's word about the case: the replies section lists the flagged cases that have one.</summary>
    public static readonly IReadOnlyList<string> ReplyKinds = [CaseEventKind.Reply, CaseEventKind.OwnerNotOurs, CaseEventKind.OwnerOptOut];

    /// <summary>A planned notice waits for an operator's approval (<c>Notices:RequireApproval</c>).</summary>
    public static readonly CaseQueueSection Approval = new("approval", "Notices awaiting approval", "No notices are waiting for approval.");

    /// <summary>
    /// A notice failed, was interrupted mid-send or was refused and nothing replaced it (no failover, no resend), or
    /// every contact found is unusable (bounced, suppressed, disabled): someone resends, or adds a contact.
    /// </summary>
    public static readonly CaseQueueSection Failed = new("failed", "Failed sends and no working contact", "No failed sends.");

    /// <summary>Accepts-but-drops (<see cref="CaseState.Unconfirmed"/>): the server took our test message and none arrived; a person judges.</summary>
    public static readonly CaseQueueSection Drops = new("drops", "Accepts but drops, to judge", "No accepts-but-drops to judge.");

    /// <summary>The contact lookup ran and found no address at all: someone adds a manual contact or closes the case.</summary>
    public static readonly CaseQueueSection NoContact = new("no-contact", "No contact found", "Every looked-up case has a contact.");

    /// <summary>
    /// A retest that should have started by now: due longer ago than <see cref="OverdueAfter"/>. The dispatcher runs
    /// every minute and takes 200 due cases a round, so a retest still due after ten rounds is not a backlog but a
    /// dispatcher that is not running (a stopped worker node, failing jobs): a person looks at /hangfire.
    /// </summary>
    public static readonly CaseQueueSection OverdueRetests = new("overdue-retests", "Overdue retests", "No retest is overdue.");

    /// <summary>
    /// A notified relay (<see cref="CaseState.Monitoring"/>) whose direct contacts ignored
    /// <c>Retests:EscalateAfterIgnoredNotices</c> notices or more (<see cref="IgnoredNotices"/>): the next retest that
    /// finds it open tells the upstream network (<see cref="CaseWorkflow.Escalate"/>), so a person may check first.
    /// </summary>
    public static readonly CaseQueueSection Escalations = new("escalations", "Escalations due", "No escalation is due.");

    public static readonly IReadOnlyList<CaseQueueSection> All = [Replies, Approval, Failed, Drops, NoContact, OverdueRetests, Escalations];

    /// <summary>Ten rounds of the every-minute dispatcher (see <see cref="OverdueRetests"/>).</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromMinutes(10);

    public static CaseQueueSection? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    /// <summary>The open cases of this section, out of <paramref name="cases"/>.</summary>
    public IQueryable<Case> Apply(IQueryable<Case> cases, NotifierDb db, RetestOptions retests, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(retests);
        cases = cases.Where(c => c.State != CaseState.Closed);
        switch (Id)
        {
            case "replies":
                return cases.Where(c => c.NeedsAttention && db.CaseEvents.Where(e => ReplyKinds.Contains(e.Kind)).Select(e => e.CaseId).Contains(c.Id));
            case "approval":
                return cases.Where(c => db.Notices.Where(n => n.State == NoticeState.AwaitingApproval).Select(n => n.CaseId).Contains(c.Id));
            case "failed":
                var failed = db.Notices
                    .Where(n => (n.State == NoticeState.Failed || n.State == NoticeState.Interrupted || n.State == NoticeState.Rejected)
                        && !db.Notices.Any(r => r.ReplacesNoticeId == n.Id))
                    .Select(n => n.CaseId);
                return cases.Where(c => failed.Contains(c.Id) || NoWorkingContact(db).Contains(c.Id));
            case "drops":
                return cases.Where(c => c.State == CaseState.Unconfirmed);
            case "no-contact":
                return cases.Where(c => db.CaseContactLookups.Where(l => l.Chosen == null).Select(l => l.CaseId).Contains(c.Id)
                    && !db.CaseContacts.Any(x => x.CaseId == c.Id));
            case "overdue-retests":
                var before = now - OverdueAfter;
                return cases.Where(c => c.NextAction == CaseAction.Retest && c.NextActionAt < before);
            case "escalations":
                var threshold = retests.EscalateAfterIgnoredNotices;
                return cases.Where(c => c.State == CaseState.Monitoring && IgnoredNotices.CasesWithAtLeast(db, threshold).Contains(c.Id));
            default:
                throw new InvalidOperationException($"queue section {Id} has no definition");
        }
    }

    /// <summary>Cases whose lookup chose nobody although it found addresses: every one is bounced, suppressed or disabled.</summary>
    private static IQueryable<int> NoWorkingContact(NotifierDb db) =>
        db.CaseContactLookups.Where(l => l.Chosen == null && db.CaseContacts.Any(x => x.CaseId == l.CaseId)).Select(l => l.CaseId);
}
