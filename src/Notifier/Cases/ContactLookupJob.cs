using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Finds who runs a case's relay (Contacts looks up and ranks) and records the ranked list with provenance on the case. Safe to run twice (Hangfire is
/// at-least-once): a second run looks up again, served by the DNS and RDAP caches, and upserts the same rows.
/// The lookup (network I/O) runs before the case is loaded for writing, so the write phase is short; the
/// contact rows, the CaseEvent and the cleared NextAction are saved together, and a concurrent change to the case
/// makes the write phase run again on fresh rows rather than overwrite it.
/// </summary>
public sealed class ContactLookupJob(
    NotifierDb db,
    ContactLookup lookup,
    CaseContacts contacts,
    NoticePlanner notices,
    TimeProvider time,
    ILogger<ContactLookupJob> log)
{
    private const int WriteAttempts = 3;

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(int caseId, CancellationToken cancellationToken)
    {
        var target = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.Address, c.State }).SingleOrDefaultAsync(cancellationToken);
        if (target is null)
        {
            log.LogInformation("Case {CaseId} does not exist: no contact lookup", caseId);
            return;
        }
        if (target.State == CaseState.Closed)
        {
            // Close() already cleared what was due; nothing to notify.
            log.LogInformation("Case {CaseId} is closed: no contact lookup", caseId);
            return;
        }

        var result = await lookup.LookupAsync(IPAddress.Parse(target.Address), cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(caseId, result, cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < WriteAttempts)
            {
                log.LogInformation("Case {CaseId} changed while its contacts were looked up; recording again", caseId);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task RecordAsync(int caseId, ContactLookupResult result, CancellationToken ct)
    {
        var c = await db.Cases.SingleAsync(x => x.Id == caseId, ct);
        var now = time.GetUtcNow();
        var ranked = await contacts.ApplyLookupAsync(caseId, result, now, ct);
        var summary = CaseContacts.Describe(result.Ip, ranked, result.Notes);
        CaseWorkflow.ContactsLookedUp(c, ranked, summary, result.Network, now);
        // The contact rows must be in the database before the first notice is planned from them.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // A proven relay with a contact: its first notice is planned in the same transaction as the contacts.
        if (c.State == CaseState.Confirmed) await notices.PlanFirstNoticeAsync(c, null, false, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Contacts of case {CaseId} ({Ip}): {Count} candidates, chosen {Chosen}",
            caseId, result.Ip, ranked.Candidates.Count, ranked.Chosen?.Address);
    }
}
