using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Suppressions win over everything, including a contact list ranked before the suppression was added: the notice
/// work asks here right before planning and right before sending, reading the table itself rather than a ranking.
/// </summary>
public sealed class NoticeSuppressions(NotifierDb db)
{
    /// <summary>The suppression that covers <paramref name="address"/> (the address or a domain above it), if any.</summary>
    public async Task<ContactSuppression?> FindAsync(string address, CancellationToken ct)
    {
        var normalized = ContactAddress.Normalize(address) ?? address;
        // Domain suppressions have no '@'; LIKE because Npgsql cannot translate Contains(char).
        var rows = await db.Suppressions.AsNoTracking().Where(s => s.Value == normalized || !EF.Functions.Like(s.Value, "%@%")).ToListAsync(ct);
        return rows.Select(s => s.ToPolicy()).FirstOrDefault(s => s.Matches(normalized));
    }
}
