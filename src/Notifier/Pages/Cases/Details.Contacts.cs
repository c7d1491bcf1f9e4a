using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Notifier.Pages.Cases;

/// <summary>
/// The case page's contact actions: look up again, add or disable an address for this case (a manual contact rule of
/// scope case, <see cref="ContactRules"/> as POST /api/contacts/rules), and suppress an address (<see cref="SuppressionList"/>
/// as POST /api/suppressions). The rule and suppression code re-ranks the case's contacts at once. And a contact's live
/// owner page link taken back (<see cref="OwnerLinks.RevokeAsync"/>, as POST /api/cases/{id}/owner-links/{linkId}/revoke).
/// </summary>
public sealed partial class DetailsModel
{
    /// <summary>The contacts' owner page links that still open (<c>/r/&lt;token&gt;</c>), by address.</summary>
    public IReadOnlyList<LiveOwnerLink> LiveOwnerLinks { get; private set; } = [];

    /// <summary>A contact's live owner link taken back: it answers 410 from now on; the next notice to them carries a new one.</summary>
    public async Task<IActionResult> OnPostRevokeOwnerLinkAsync(int id, long linkId, CancellationToken ct)
    {
        var outcome = await ownerLinks.RevokeAsync(id, linkId, Actor, time.GetUtcNow(), ct);
        if (outcome is null) return NotFound();
        Message = outcome.Revoked
            ? $"The owner page link of {outcome.Contact} is revoked: it no longer opens the page."
            : $"The owner page link of {outcome.Contact} was not live any more (nothing changed).";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostLookupAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            var scheduled = CaseWorkflow.RequestContactLookup(c, Actor, time.GetUtcNow(), "requested in the dashboard");
            await db.SaveChangesAsync(ct);
            ContactsApi.Enqueue(jobs, id, scheduled);
            Message = "A contact lookup is queued; refresh in a few seconds.";
        }
        return RedirectToPage(new { id });
    }

    /// <summary>An address added to this case's contacts (rule: add, scope case), in a language when one is chosen.</summary>
    public async Task<IActionResult> OnPostAddContactAsync(int id, string? address, string? reason, string? language, CancellationToken ct) =>
        await ContactRuleAsync(id, ManualContactAction.Add, address, reason, string.IsNullOrEmpty(language) ? null : language, "added to this case's contacts", ct);

    /// <summary>A contact of this case no longer to be notified about it (rule: disable, scope case).</summary>
    public async Task<IActionResult> OnPostDisableContactAsync(int id, string? address, string? reason, CancellationToken ct) =>
        await ContactRuleAsync(id, ManualContactAction.Disable, address, reason, null, "disabled for this case", ct);

    private async Task<IActionResult> ContactRuleAsync(int id, ManualContactAction action, string? address, string? reason, string? language, string done, CancellationToken ct)
    {
        var request = new CreateContactRuleRequest(address, ContactText.Of(action), ContactText.Of(ContactScopeKind.Case), id, null, null, reason, language);
        var (rule, error) = await contactRules.AddAsync(request, Actor, ct);
        if (error is not null) return error.Field == "caseId" ? NotFound() : await WithErrorAsync(id, error, ct);
        Message = $"{rule!.Address} {done}.";
        return RedirectToPage(new { id });
    }

    /// <summary>An address (or a domain) never to be notified again, by any case, with a reason.</summary>
    public async Task<IActionResult> OnPostSuppressAsync(int id, string? value, string? reason, CancellationToken ct)
    {
        var added = await suppressionList.AddAsync(value, reason, Actor, ct);
        if (added.Error is { } error) return await WithErrorAsync(id, error, ct);
        Message = added.Existing is { } existing
            ? $"{existing.Value} was suppressed already ({existing.Reason}, by {existing.AddedBy})."
            : $"{added.Added!.Value} is suppressed: it is never notified again.";
        return RedirectToPage(new { id });
    }
}
