using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Contacts;

/// <summary>
/// The ranking policy as the database holds it: manual rules, suppressions and bounces, read into the plain
/// <see cref="ContactPolicy"/> that <see cref="ContactRanking"/> takes. One loader for the case contact list
/// (Cases) and for <c>contacts &lt;ip&gt;</c> on the command line, so both rank with the same policy.
/// </summary>
public static class StoredContactPolicy
{
    /// <summary>
    /// The policy for one case: its own and every domain/network rule, all suppressions that can match, bounces of
    /// these addresses. With no case (<c>contacts &lt;ip&gt;</c> on the command line) case rules are left out.
    /// </summary>
    public static async Task<ContactPolicy> LoadAsync(NotifierDb db, int? caseId, IEnumerable<string> foundAddresses, CancellationToken ct)
    {
        var rules = await db.ManualContactRules.AsNoTracking()
            .Where(r => r.Scope != "case" || (caseId != null && r.CaseId == caseId))
            .OrderBy(r => r.Id)
            .ToListAsync(ct);
        var addresses = foundAddresses.Select(ContactAddress.Normalize).OfType<string>()
            .Concat(rules.Select(r => r.Address))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // Address suppressions only for these addresses; domain suppressions (no '@') all, they match by suffix.
        var suppressions = await db.Suppressions.AsNoTracking()
            // LIKE, not Contains('@'): Npgsql cannot translate the char overload.
            .Where(s => addresses.Contains(s.Value) || !EF.Functions.Like(s.Value, "%@%"))
            .ToListAsync(ct);
        var bounces = await db.ContactBounces.AsNoTracking()
            .Where(b => addresses.Contains(b.Address))
            .ToListAsync(ct);
        return new ContactPolicy(
            rules.Select(r => r.ToPolicy()).ToList(),
            suppressions.Select(s => s.ToPolicy()).ToList(),
            ContactBounce.Counting(bounces));
    }
}
