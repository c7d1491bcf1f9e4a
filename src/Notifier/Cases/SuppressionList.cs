using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// Addresses and domains never to be notified: the one implementation behind <c>/api/suppressions</c> and the
/// dashboard's <c>/suppressions</c> page. Each change re-ranks the stored contacts of the open cases it touches
/// (<see cref="ContactPolicyChange"/>) and saves.
/// </summary>
public sealed class SuppressionList(NotifierDb db, ContactPolicyChange policyChange, TimeProvider time)
{
    /// <summary>What adding gave: the new suppression, the one that already covers that value, or the field at fault.</summary>
    public sealed record AddResult(Suppression? Added, Suppression? Existing, IntakeError? Error);

    public async Task<AddResult> AddAsync(string? valueText, string? reasonText, string actor, CancellationToken ct)
    {
        var text = valueText?.Trim() ?? "";
        var value = text.Contains('@', StringComparison.Ordinal) && !text.StartsWith('@') ? ContactAddress.Normalize(text) : ContactRules.ParseDomain(text);
        if (value is null) return new(null, null, new IntakeError("value", "must be a mail address or a domain name such as example.net"));
        var reason = reasonText;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } bad) return new(null, null, bad);
        if (reason is null) return new(null, null, new IntakeError("reason", "is required: say why this is never to be notified"));
        if (await db.Suppressions.AsNoTracking().SingleOrDefaultAsync(s => s.Value == value, ct) is { } existing) return new(null, existing, null);
        var now = time.GetUtcNow();
        var s = new Suppression { Value = value, Reason = reason, AddedBy = actor, AddedAt = now };
        db.Suppressions.Add(s);
        await policyChange.SuppressionChangedAsync(s.ToPolicy(), now, ct);
        return new(s, null, null);
    }

    /// <summary>Every suppression by value, or those whose value or reason contains <paramref name="text"/>.</summary>
    public async Task<List<Suppression>> ListAsync(string? text, CancellationToken ct)
    {
        var query = db.Suppressions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            // Suppressed values are stored lower-case (ContactAddress.Normalize); the reason is free text as typed.
            var term = text.Trim();
            var lower = term.ToLowerInvariant();
            query = query.Where(s => s.Value.Contains(lower) || s.Reason.Contains(term));
        }
        return await query.OrderBy(s => s.Value).ToListAsync(ct);
    }

    /// <summary>Removes suppression <paramref name="id"/>; false when there is none.</summary>
    public async Task<bool> RemoveAsync(int id, CancellationToken ct)
    {
        var s = await db.Suppressions.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return false;
        db.Suppressions.Remove(s);
        await policyChange.SuppressionChangedAsync(s.ToPolicy(), time.GetUtcNow(), ct);
        return true;
    }
}
