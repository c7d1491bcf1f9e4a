using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// "This is not our server" and "don't contact us again" from the owner page, and the notices' RFC 8058 one-click
/// unsubscribe. Each goes through the code an operator uses for the same thing, so it re-ranks the case's contacts as
/// theirs does: not ours is a manual contact rule disabling the address for this case (<see cref="ContactRules"/>, as
/// the case page's "disable"); an opt-out is a suppression (<see cref="SuppressionList"/>, as the suppressions page and
/// the API). Then the case is flagged for a person with the contact's reason (<see cref="CaseWorkflow.OwnerSaidNotOurs"/>,
/// <see cref="CaseWorkflow.OwnerOptedOut"/>), all in one transaction.
/// </summary>
public sealed class OwnerActions(NotifierDb db, OwnerLinks links, ContactRules rules, SuppressionList suppressions, NoticeSuppressions suppressed, TimeProvider time)
{
    /// <summary>
    /// The longest reason a contact may give: a suppression's reason is at most <see cref="FreeText.MaxReasonLength"/>
    /// and carries where it came from before the contact's words.
    /// </summary>
    public const int MaxReasonLength = 400;

    /// <summary>The contact's reason checked as every reason is (<see cref="FreeText.Check"/>: one line, no control characters), and required.</summary>
    public static IntakeError? CheckReason(ref string? reason)
    {
        if (FreeText.Check("reason", ref reason, MaxReasonLength, allowLineBreaks: false) is { } bad) return bad;
        return reason is null ? new IntakeError("reason", "is required") : null;
    }

    /// <summary>Whether the link's contact is disabled for its case already (the page then says so instead of asking).</summary>
    public async Task<bool> IsNotOursAsync(OwnerLink link, CancellationToken ct)
    {
        var address = await AddressAsync(link, ct);
        return await DisableRules(link.CaseId, address).AnyAsync(ct);
    }

    /// <summary>Whether a suppression covers the link's contact already.</summary>
    public async Task<bool> IsOptedOutAsync(OwnerLink link, CancellationToken ct)
    {
        var address = await AddressAsync(link, ct);
        return await suppressed.FindAsync(address, ct) is not null;
    }

    /// <summary>
    /// The link's contact says the relay is not theirs: disabled for this case (no notice of the case goes to it any
    /// more, and the next ranked active contact is the case's chosen one), the case flagged. Done once: asking again
    /// changes nothing.
    /// </summary>
    public async Task<OwnerActionResult> NotOursAsync(OwnerLink link, string? reasonText, CancellationToken ct)
    {
        var reason = reasonText;
        if (CheckReason(ref reason) is { } bad) return OwnerActionResult.Invalid(bad);
        var address = await AddressAsync(link, ct);
        if (await DisableRules(link.CaseId, address).AnyAsync(ct)) return OwnerActionResult.AlreadyDone;
        var now = time.GetUtcNow();
        return await InTransactionAsync(async () =>
        {
            var request = new CreateContactRuleRequest(address, ContactText.Of(ManualContactAction.Disable), ContactText.Of(ContactScopeKind.Case),
                link.CaseId, null, null, $"not our server (owner page): {reason}", null);
            var (_, error) = await rules.AddAsync(request, CaseWorkflow.OwnerPageActor(address), ct);
            if (error is not null) return OwnerActionResult.Invalid(error);
            var c = await db.Cases.SingleAsync(x => x.Id == link.CaseId, ct);
            CaseWorkflow.OwnerSaidNotOurs(c, address, reason!, now);
            return OwnerActionResult.Done;
        }, ct);
    }

    /// <summary>
    /// The link's contact asks never to be mailed again (<paramref name="how"/> says where: the page, one-click): the
    /// address is suppressed for every case, the case flagged. An opt-out by mail is applied only when its sender is
    /// proven (<see cref="CaseReplies"/>: a forged one would silence an abuse desk); this one is proven by the token,
    /// 256 random bits that only our notice to this very address carried (<see cref="OwnerLinks"/>), so it is applied
    /// at once. Idempotent: an address suppressed already changes nothing.
    /// </summary>
    public async Task<OwnerActionResult> OptOutAsync(OwnerLink link, string how, string? reasonText, CancellationToken ct)
    {
        var reason = reasonText;
        if (CheckReason(ref reason) is { } bad) return OwnerActionResult.Invalid(bad);
        var address = await AddressAsync(link, ct);
        var reference = CaseReference.Format(link.CaseId);
        var now = time.GetUtcNow();
        return await InTransactionAsync(async () =>
        {
            var added = await suppressions.AddAsync(address, $"opt-out {how} ({reference}, the link of our notice to this address): {reason}",
                CaseWorkflow.OwnerPageActor(address), ct);
            if (added.Error is { } error) return OwnerActionResult.Invalid(error);
            if (added.Existing is not null) return OwnerActionResult.AlreadyDone;
            var c = await db.Cases.SingleAsync(x => x.Id == link.CaseId, ct);
            CaseWorkflow.OwnerOptedOut(c, address, how, reason!, now);
            return OwnerActionResult.Done;
        }, ct);
    }

    /// <summary>
    /// The link an RFC 8058 one-click POST may use: a live one, and also one that expired or that a newer notice's link
    /// replaced. RFC 8058 §3.2 expects a List-Unsubscribe URL to keep working after the message was sent, and every
    /// notice carries its own link while a new notice revokes the older ones an hour later (<see cref="OwnerLinks.CreateAsync"/>), so
    /// an old notice's button must still work. That is safe because all it can do is silence mail to the address the
    /// token was made for. A link an operator revoked (no newer link was made at the moment it was revoked) is
    /// refused: they took it back, perhaps because it leaked. The link when accepted, and the token's status either way.
    /// </summary>
    public async Task<(OwnerLink? Accepted, OwnerLinkStatus Status)> OneClickLinkAsync(string? token, CancellationToken ct)
    {
        var check = await links.CheckAsync(token, time.GetUtcNow(), ct);
        if (check.Link is not { } link) return (null, check.Status);
        if (link.RevokedAt is not { } revokedAt) return (link, check.Status);
        // Replaced: revoked as of the grace after the newer link was made (OwnerLinks.CreateAsync).
        var newerCreatedAt = revokedAt - OwnerLinks.ReplacedLinkGrace;
        var replaced = await db.OwnerLinks.AsNoTracking()
            .AnyAsync(l => l.CaseId == link.CaseId && l.CaseContactId == link.CaseContactId && l.Id != link.Id && l.CreatedAt == newerCreatedAt, ct);
        return (replaced ? link : null, check.Status);
    }

    private IQueryable<ManualContactRule> DisableRules(int caseId, string address)
    {
        var disable = ContactText.Of(ManualContactAction.Disable);
        var scope = ContactText.Of(ContactScopeKind.Case);
        return db.ManualContactRules.AsNoTracking().Where(r => r.CaseId == caseId && r.Scope == scope && r.Action == disable && r.Address == address);
    }

    private Task<string> AddressAsync(OwnerLink link, CancellationToken ct) =>
        db.CaseContacts.AsNoTracking().Where(x => x.Id == link.CaseContactId).Select(x => x.Address).SingleAsync(ct);

    /// <summary>The rule or suppression (saved and re-ranked by its own code) and the case event commit together, or nothing does.</summary>
    private async Task<OwnerActionResult> InTransactionAsync(Func<Task<OwnerActionResult>> act, CancellationToken ct)
    {
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await act();
            if (result.Outcome != OwnerActionOutcome.Done) return result;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return OwnerActionResult.CaseChanged;
        }
    }
}

public enum OwnerActionOutcome
{
    Done,

    /// <summary>Done before (the address is suppressed, or disabled for the case, already): nothing changed.</summary>
    AlreadyDone,

    /// <summary>The reason is missing or not fit to store; nothing changed.</summary>
    Invalid,

    /// <summary>Someone changed the case at the same moment; nothing changed, asking again works.</summary>
    CaseChanged,
}

/// <summary>What an owner's action did; <see cref="Error"/> says what is wrong with the input when <see cref="OwnerActionOutcome.Invalid"/>.</summary>
public sealed record OwnerActionResult(OwnerActionOutcome Outcome, IntakeError? Error)
{
    public static readonly OwnerActionResult Done = new(OwnerActionOutcome.Done, null);
    public static readonly OwnerActionResult AlreadyDone = new(OwnerActionOutcome.AlreadyDone, null);
    public static readonly OwnerActionResult CaseChanged = new(OwnerActionOutcome.CaseChanged, null);

    public static OwnerActionResult Invalid(IntakeError error) => new(OwnerActionOutcome.Invalid, error);
}
