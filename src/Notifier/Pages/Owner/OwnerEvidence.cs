using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Pages.Owner;

/// <summary>Where the case stands, as the owner reads it: still open, fixed (a retest found it closed), or closed by the desk.</summary>
public enum OwnerCaseStanding
{
    Open,
    Fixed,
    Closed,
}

/// <summary>One retest of the relay: when, and what it found (null while it waits or runs).</summary>
/// <param name="Outcome"><see cref="RetestOutcome"/>: open, closed or inconclusive.</param>
public sealed record OwnerRetestRun(DateTimeOffset At, string? Outcome);

/// <summary>
/// The evidence part of the owner page (<c>_OwnerEvidence</c>) about the visit's case only: the relay as the first
/// notice reports it (the same <see cref="NoticeModelFactory"/> model, so the page and the mail say the same and the
/// notice templates' "how to check it yourself" and "how to close it" parts render from it), the proving probe's whole
/// transcript with the relaying lines marked (<see cref="AcceptedVariantLines"/>, as on the case page), where the case
/// stands and the retests. Nothing of the case's other contacts, notes, assignee or events is read.
/// </summary>
/// <param name="Notice">A first notice's model for this case and contact, in the page's language, without an owner link.</param>
/// <param name="Relaying">For each line of <paramref name="Transcript"/>, whether it belongs to a variant that relayed.</param>
/// <param name="Retests">Newest first.</param>
/// <param name="NextCheckAt">The next scheduled retest, if one is planned.</param>
public sealed record OwnerEvidence(
    NoticeModel Notice,
    IReadOnlyList<string> Transcript,
    bool[] Relaying,
    OwnerCaseStanding Standing,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? NextCheckAt,
    IReadOnlyList<OwnerRetestRun> Retests)
{
    /// <summary>The visit's relay (the notice model's only one: no other case is asked for).</summary>
    public NoticeRelay Relay => Notice.Relays[0];

    public static async Task<OwnerEvidence> LoadAsync(NotifierDb db, NoticeModelFactory models, OwnerVisit visit, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var c = visit.Case;
        var draft = await models.BuildAsync(c.Id, visit.Contact.Address, NoticeKind.FirstNotice, visit.Language, null, now, ct);
        var proof = draft.Evidence[0];
        var retests = await db.Probes.AsNoTracking()
            .Where(p => p.CaseId == c.Id && p.Kind == ProbeKind.Retest && p.Status != ProbeStatus.Skipped)
            .OrderByDescending(p => p.QueuedAt).ThenByDescending(p => p.Id)
            .Select(p => new OwnerRetestRun(p.StartedAt ?? p.QueuedAt, p.Status == ProbeStatus.Done ? p.RetestOutcome ?? RetestOutcome.Inconclusive : null))
            .ToListAsync(ct);
        var standing = c.State switch
        {
            CaseState.Resolved => OwnerCaseStanding.Fixed,
            CaseState.Closed => OwnerCaseStanding.Closed,
            _ => OwnerCaseStanding.Open,
        };
        // Each line as the attached transcript writes it: UTC time, direction, text.
        return new OwnerEvidence(draft.Model, proof.Transcript.Select(l => l.ToString()).ToList(), AcceptedVariantLines.Mark(proof.Transcript, proof.Variants), standing,
            standing == OwnerCaseStanding.Fixed ? c.ResolvedAt : null,
            c.NextAction == CaseAction.Retest ? c.NextActionAt : null,
            retests);
    }
}
