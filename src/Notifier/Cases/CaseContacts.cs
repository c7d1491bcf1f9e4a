using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Turns what a lookup found into a case's stored contact list: loads the <see cref="ContactPolicy"/> from the
/// database (<see cref="StoredContactPolicy"/>: manual rules, suppressions, bounces), ranks with
/// <see cref="ContactRanking"/> and upserts <see cref="CaseContact"/> rows. Changes are tracked, not saved: the caller saves them with its CaseEvent in one
/// transaction. <see cref="RerankAsync"/> re-applies policy to stored rows without a lookup (after a rule,
/// a suppression or a bounce), which is also how the notice work picks the next address after a bounce.
/// </summary>
public sealed class CaseContacts(NotifierDb db)
{
    /// <summary>Records a lookup for the case: the lookup row, then every candidate ranked and upserted.</summary>
    public async Task<RankedContacts> ApplyLookupAsync(int caseId, ContactLookupResult lookup, DateTimeOffset now, CancellationToken ct)
    {
        var record = await db.CaseContactLookups.SingleOrDefaultAsync(l => l.CaseId == caseId, ct);
        if (record is null)
        {
            record = new CaseContactLookup { CaseId = caseId, Ip = lookup.Ip.ToString() };
            db.CaseContactLookups.Add(record);
        }
        record.Ip = lookup.Ip.ToString();
        record.StartedAt = lookup.StartedAt;
        record.FinishedAt = lookup.FinishedAt;
        record.ConfirmedDomains = string.Join(',', lookup.ConfirmedDomains);
        record.PtrNamesJson = CaseContactJson.Serialize(lookup.PtrNames.Select(p => new { p.Name, p.ForwardConfirmed }));
        record.NotesJson = CaseContactJson.Serialize(lookup.Notes);
        var ranked = await RankAsync(caseId, lookup.Ip, lookup.ConfirmedDomains, lookup.Found, seen: true, now, ct);
        record.Chosen = ranked.Chosen?.Address;
        return ranked;
    }

    /// <summary>
    /// Re-applies the current policy to what the latest lookup found, without looking up again. Null when the
    /// case has never been looked up.
    /// </summary>
    public async Task<RankedContacts?> RerankAsync(int caseId, DateTimeOffset now, CancellationToken ct)
    {
        var record = await db.CaseContactLookups.SingleOrDefaultAsync(l => l.CaseId == caseId, ct);
        if (record is null) return null;
        var stored = await db.CaseContacts.AsNoTracking().Where(c => c.CaseId == caseId && c.Rank != null).ToListAsync(ct);
        var found = stored.SelectMany(c => CaseContactJson.Deserialize<List<FoundContact>>(c.FoundJson)).ToList();
        var ranked = await RankAsync(caseId, IPAddress.Parse(record.Ip), record.ConfirmedDomainList, found, seen: false, now, ct);
        record.Chosen = ranked.Chosen?.Address;
        return ranked;
    }

    /// <summary>Re-ranks every case that has been looked up and is not closed and matches <paramref name="affects"/>; returns how many.</summary>
    public async Task<int> RerankOpenCasesAsync(Func<CaseContactLookup, IReadOnlyList<string>, bool> affects, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await db.CaseContactLookups.AsNoTracking()
            .Join(db.Cases.Where(c => c.OpenRelayKey != null), l => l.CaseId, c => c.Id, (l, c) => l)
            .ToListAsync(ct);
        var ids = candidates.Select(l => l.CaseId).ToList();
        var addresses = await db.CaseContacts.AsNoTracking()
            .Where(c => ids.Contains(c.CaseId) && c.Rank != null)
            .Select(c => new { c.CaseId, c.Address })
            .ToListAsync(ct);
        var byCase = addresses.ToLookup(a => a.CaseId, a => a.Address);
        var count = 0;
        foreach (var l in candidates.Where(l => affects(l, byCase[l.CaseId].ToList())))
        {
            await RerankAsync(l.CaseId, now, ct);
            count++;
        }
        return count;
    }

    private async Task<RankedContacts> RankAsync(int caseId, IPAddress ip, IReadOnlyList<string> confirmedDomains,
        IReadOnlyList<FoundContact> found, bool seen, DateTimeOffset now, CancellationToken ct)
    {
        var policy = await StoredContactPolicy.LoadAsync(db, caseId, found.Select(f => f.Address), ct);
        var ranked = ContactRanking.Rank(ip, confirmedDomains, found, policy);
        var rows = await db.CaseContacts.Where(c => c.CaseId == caseId).ToDictionaryAsync(c => c.Address, StringComparer.Ordinal, ct);
        var foundBy = found
            .Select(f => (Address: ContactAddress.Normalize(f.Address), Found: f))
            .Where(x => x.Address is not null)
            .ToLookup(x => x.Address!, x => x.Found, StringComparer.Ordinal);
        foreach (var c in ranked.Candidates)
        {
            if (!rows.TryGetValue(c.Address, out var row))
            {
                row = new CaseContact
                {
                    CaseId = caseId,
                    Address = c.Address,
                    Source = "",
                    Sources = "",
                    Tier = "",
                    Confidence = "",
                    EvidenceJson = "[]",
                    FirstSeenAt = now,
                    LastSeenAt = now,
                };
                db.CaseContacts.Add(row);
                rows[c.Address] = row;
            }
            row.Source = ContactText.Of(c.Source);
            row.Sources = string.Join(',', c.Sources.Select(ContactText.Of));
            row.Tier = ContactText.Of(c.Tier);
            row.Confidence = ContactText.Of(c.Confidence);
            row.Rank = c.Rank;
            row.Status = ContactText.Of(c.Status);
            row.StatusReason = c.Reason;
            row.EvidenceJson = CaseContactJson.Serialize(c.Evidence);
            row.FoundJson = CaseContactJson.Serialize(foundBy[c.Address].ToList());
            row.NetworkPrefixLength = c.NetworkPrefixLength;
            row.Country = c.Country;
            row.RankedAt = now;
            if (seen) row.LastSeenAt = now;
        }
        var current = ranked.Candidates.Select(c => c.Address).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows.Values.Where(r => !current.Contains(r.Address) && r.Rank is not null))
        {
            // Kept for the record (first/last seen, evidence), but no longer a candidate.
            row.Rank = null;
            row.FoundJson = "[]";
            row.StatusReason = seen
                ? $"not found by the lookup of {now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (last seen {row.LastSeenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)"
                : "no longer added by a manual rule";
            row.RankedAt = now;
        }
        return ranked;
    }

    /// <summary>One line for the timeline: the chosen address and why, or why there is none.</summary>
    public static string Describe(IPAddress ip, RankedContacts ranked, IReadOnlyList<LookupNote> notes)
    {
        var skipped = ranked.Candidates.Where(c => c.Status != ContactStatus.Active).ToList();
        var skippedText = skipped.Count == 0 ? "" : "; skipped: " + string.Join(", ", skipped.Select(c => $"{c.Address} ({ContactText.Of(c.Status)})"));
        if (ranked.Chosen is { } chosen)
        {
            var others = ranked.Candidates.Count(c => c.Status == ContactStatus.Active) - 1;
            return $"Contacts found: chosen {chosen.Address} ({Why(ip, chosen)}, {ContactText.Of(chosen.Confidence)} confidence)"
                + (others > 0 ? $"; {others} more active for failover" : "; no failover address") + skippedText;
        }
        var reasons = notes.Select(n => $"{n.Source} {n.Query}: {n.Reason}").Take(6).ToList();
        return ranked.Candidates.Count == 0
            ? "No contact found" + (reasons.Count == 0 ? "" : ": " + string.Join("; ", reasons))
            : $"No usable contact: all {ranked.Candidates.Count} candidates skipped{skippedText}";
    }

    private static string Why(IPAddress ip, ContactCandidate c) => c.Tier switch
    {
        ContactTier.RdapAbuse when c.NetworkPrefixLength is { } p => $"RDAP abuse for {IpMath.Truncate(ip, p)}",
        ContactTier.Manual => "manual",
        ContactTier.AbuseNetLookup => "abuse.net lookup",
        ContactTier.Rfc2142Confirmed => "RFC 2142 on a forward-confirmed name",
        ContactTier.Soa => "SOA RNAME",
        ContactTier.Unconfirmed => "from a PTR name that is not forward-confirmed",
        _ => ContactText.Of(c.Tier),
    };
}
