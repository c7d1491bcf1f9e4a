using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// Operators' manual contact rules (add, prefer or disable an address for a case, a domain or a network): the one
/// implementation behind <c>/api/contacts/rules</c> and the dashboard's <c>/contacts/rules</c> page. Each change
/// re-ranks the stored contacts of the open cases it touches (<see cref="ContactPolicyChange"/>) and saves.
/// </summary>
public sealed class ContactRules(NotifierDb db, ContactPolicyChange policyChange, TimeProvider time)
{
    /// <summary>The rule checked and added, or the field at fault; nothing is stored on an error.</summary>
    public async Task<(ManualContactRule? Rule, IntakeError? Error)> AddAsync(CreateContactRuleRequest body, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var address = ContactAddress.Normalize(body.Address);
        if (address is null) return Invalid("address", "must be a mail address (local@domain.tld)");
        if (!ContactText.TryParse<ManualContactAction>(body.Action, out var action))
            return Invalid("action", $"must be one of {ContactText.Names<ManualContactAction>()}");
        if (!ContactText.TryParse<ContactScopeKind>(body.Scope, out var scope))
            return Invalid("scope", $"must be one of {ContactText.Names<ContactScopeKind>()}");
        var reason = body.Reason;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } bad) return (null, bad);
        // The languages notices are written in (templates/); anything else would silently fall back to English.
        if (body.Language is not (null or "en" or "de")) return Invalid("language", "must be en or de");
        var now = time.GetUtcNow();
        var rule = new ManualContactRule
        {
            Address = address,
            Action = ContactText.Of(action),
            Scope = ContactText.Of(scope),
            AddedBy = actor,
            Reason = reason,
            Language = body.Language,
            AddedAt = now,
        };
        switch (scope)
        {
            case ContactScopeKind.Case:
                if (body.CaseId is not { } caseId) return Invalid("caseId", "is required for scope case");
                if (!await db.Cases.AnyAsync(c => c.Id == caseId, ct)) return Invalid("caseId", $"there is no case {caseId}");
                rule.CaseId = caseId;
                break;
            case ContactScopeKind.Domain:
                var domain = ParseDomain(body.Domain);
                if (domain is null) return Invalid("domain", "must be a domain name such as example.net (it covers its subdomains)");
                rule.Domain = domain;
                break;
            case ContactScopeKind.Network:
                if (!Probing.IpNetworkText.TryParse(body.Network, singleAddress: false, out var network, out var problem)) return Invalid("network", problem);
                rule.Network = network.ToString();
                break;
        }
        db.ManualContactRules.Add(rule);
        await policyChange.RuleChangedAsync(rule, "added", actor, now, ct);
        return (rule, null);
    }

    /// <summary>
    /// The rules in the order they were added: with <paramref name="caseId"/> those that can apply to that case (its own
    /// and every domain and network rule), with <paramref name="address"/> that address's, with <paramref name="text"/>
    /// those whose address, domain, network, author or reason contains it.
    /// </summary>
    public async Task<List<ManualContactRule>> ListAsync(int? caseId, string? address, string? text, CancellationToken ct)
    {
        var query = db.ManualContactRules.AsNoTracking();
        if (caseId is { } id) query = query.Where(r => r.CaseId == id || r.Scope != "case");
        if (ContactAddress.Normalize(address) is { } a) query = query.Where(r => r.Address == a);
        if (!string.IsNullOrWhiteSpace(text))
        {
            // Addresses, domains and networks are stored lower-case (normalised); author and reason as typed.
            var term = text.Trim();
            var lower = term.ToLowerInvariant();
            query = query.Where(r => r.Address.Contains(lower) || (r.Domain != null && r.Domain.Contains(lower))
                || (r.Network != null && r.Network.Contains(lower)) || r.AddedBy.Contains(term) || (r.Reason != null && r.Reason.Contains(term)));
        }
        return await query.OrderBy(r => r.Id).ToListAsync(ct);
    }

    /// <summary>Removes rule <paramref name="id"/>; false when there is none.</summary>
    public async Task<bool> RemoveAsync(int id, string actor, CancellationToken ct)
    {
        var rule = await db.ManualContactRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return false;
        db.ManualContactRules.Remove(rule);
        await policyChange.RuleChangedAsync(rule, "removed", actor, time.GetUtcNow(), ct);
        return true;
    }

    /// <summary>A domain in ASCII with at least two labels ("@example.net" and ".example.net" are accepted as example.net).</summary>
    public static string? ParseDomain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var domain = DomainNames.ToAscii(text.Trim().TrimStart('@', '.'));
        return domain is not null && domain.Contains('.', StringComparison.Ordinal) ? domain : null;
    }

    private static (ManualContactRule?, IntakeError?) Invalid(string field, string message) => (null, new IntakeError(field, message));
}
