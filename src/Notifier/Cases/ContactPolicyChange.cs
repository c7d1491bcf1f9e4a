using System.Net;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// A change to the contacts policy (a suppression or a manual rule added or removed, by the API, an opt-out reply or
/// an operator changing a reply's intent) applied to the cases' stored contact lists. Ranking reads the policy from
/// the database, so the change is saved first; then the lists it touches are re-ranked (database only, no lookup)
/// and saved, in one transaction: the caller's when it has one open, else its own. So GET /api/cases/{id} and the
/// notice work see the change at once.
/// </summary>
public sealed class ContactPolicyChange(NotifierDb db, CaseContacts contacts)
{
    /// <summary>A suppression added or removed: the open cases with an address it matches are re-ranked.</summary>
    public Task SuppressionChangedAsync(ContactSuppression changed, DateTimeOffset now, CancellationToken ct) =>
        SaveAndRerankAsync(() => contacts.RerankOpenCasesAsync((_, addresses) => addresses.Any(changed.Matches), now, ct), ct);

    /// <summary>
    /// A manual rule <paramref name="what"/> (added, removed): a case rule goes on that case's timeline and re-ranks
    /// it; a domain or network rule re-ranks the open cases it covers.
    /// </summary>
    public Task RuleChangedAsync(ManualContactRule rule, string what, string actor, DateTimeOffset now, CancellationToken ct) =>
        SaveAndRerankAsync(async () =>
        {
            switch (rule.Scope)
            {
                case "case":
                    var e = CaseWorkflow.Event(now, actor, CaseEventKind.ContactRule,
                        $"Manual contact rule {what}: {rule.Action} {rule.Address}{(rule.Reason is null ? "" : $" ({rule.Reason})")}", null);
                    e.CaseId = rule.CaseId!.Value;
                    db.CaseEvents.Add(e);
                    await contacts.RerankAsync(rule.CaseId.Value, now, ct);
                    break;
                case "domain":
                    await contacts.RerankOpenCasesAsync((l, _) => l.ConfirmedDomainList.Any(d => DomainNames.IsEqualOrBelow(d, rule.Domain!)), now, ct);
                    break;
                case "network":
                    var network = System.Net.IPNetwork.Parse(rule.Network!);
                    await contacts.RerankOpenCasesAsync((l, _) => network.Contains(IPAddress.Parse(l.Ip)), now, ct);
                    break;
            }
        }, ct);

    private async Task SaveAndRerankAsync(Func<Task> rerank, CancellationToken ct)
    {
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        await rerank();
        await db.SaveChangesAsync(ct);
        if (own is not null) await own.CommitAsync(ct);
    }
}
