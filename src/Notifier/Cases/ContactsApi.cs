using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// The contacts API: run a case's lookup (enqueued, never inline), manual contact rules and suppressions. A rule
/// or suppression change re-ranks the stored contacts of the open cases it touches (<see cref="ContactPolicyChange"/>:
/// database only, no lookup), so GET /api/cases/{id} and the notice work see it at once. It lives in Cases because
/// every write here changes what is recorded on cases; Contacts only looks up and ranks.
/// </summary>
public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiRead).WithTags("contacts");
        var write = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiWrite).WithTags("contacts");
        write.MapPost("/cases/{id:int}/contacts/lookup", LookupAsync).WithSummary("Look up the case's contacts again (enqueued; 202)");
        write.MapPost("/contacts/rules", CreateRuleAsync).WithSummary("Add, prefer or disable an address for a case, a domain or a network (CIDR)");
        read.MapGet("/contacts/rules", ListRulesAsync).WithSummary("Manual contact rules, optionally of one case or address");
        write.MapDelete("/contacts/rules/{id:int}", DeleteRuleAsync).WithSummary("Remove a manual contact rule");
        write.MapPost("/suppressions", CreateSuppressionAsync).WithSummary("Never notify an address, or any address at a domain and below it");
        read.MapGet("/suppressions", ListSuppressionsAsync).WithSummary("Suppressions, optionally filtered by a text");
        write.MapDelete("/suppressions/{id:int}", DeleteSuppressionAsync).WithSummary("Remove a suppression");
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => $"api:{user.Identity?.Name}";

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    private static async Task<Results<Accepted<ContactLookupRequested>, NotFound, Conflict<string>>> LookupAsync(
        int id, NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.NotFound();
        if (c.State == CaseState.Closed) return TypedResults.Conflict("the case is closed");
        var scheduled = CaseWorkflow.RequestContactLookup(c, Actor(user), time.GetUtcNow(), "requested through the API");
        await db.SaveChangesAsync(ct);
        Enqueue(jobs, id, scheduled);
        return TypedResults.Accepted($"/api/cases/{id}", new ContactLookupRequested(CaseSummaryDto.From(c, null), scheduled));
    }

    /// <summary>A scheduled lookup is run by the dispatcher (kicked now); otherwise the job is enqueued directly.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, int caseId, bool scheduled)
    {
        if (scheduled) CaseDispatcher.Nudge(jobs);
        else jobs.Enqueue<ContactLookupJob>(j => j.RunAsync(caseId, CancellationToken.None));
    }

    private static async Task<Results<Created<ContactRuleDto>, ValidationProblem>> CreateRuleAsync(
        CreateContactRuleRequest body, NotifierDb db, ContactPolicyChange policyChange, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var address = ContactAddress.Normalize(body.Address);
        if (address is null) return Invalid("address", "must be a mail address (local@domain.tld)");
        if (!ContactText.TryParse<ManualContactAction>(body.Action, out var action))
            return Invalid("action", $"must be one of {ContactText.Names<ManualContactAction>()}");
        if (!ContactText.TryParse<ContactScopeKind>(body.Scope, out var scope))
            return Invalid("scope", $"must be one of {ContactText.Names<ContactScopeKind>()}");
        var reason = body.Reason;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } bad) return Invalid(bad.Field, bad.Message);
        // The languages notices are written in (templates/); anything else would silently fall back to English.
        if (body.Language is not (null or "en" or "de")) return Invalid("language", "must be en or de");
        var rule = new ManualContactRule
        {
            Address = address,
            Action = ContactText.Of(action),
            Scope = ContactText.Of(scope),
            AddedBy = Actor(user),
            Reason = reason,
            Language = body.Language,
            AddedAt = time.GetUtcNow(),
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
        await policyChange.RuleChangedAsync(rule, "added", Actor(user), time.GetUtcNow(), ct);
        return TypedResults.Created($"/api/contacts/rules/{rule.Id}", ContactRuleDto.From(rule));
    }

    private static async Task<Ok<List<ContactRuleDto>>> ListRulesAsync(NotifierDb db, int? caseId, string? address, CancellationToken ct)
    {
        var query = db.ManualContactRules.AsNoTracking();
        if (caseId is { } id) query = query.Where(r => r.CaseId == id || r.Scope != "case");
        if (ContactAddress.Normalize(address) is { } a) query = query.Where(r => r.Address == a);
        var rules = await query.OrderBy(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(rules.Select(ContactRuleDto.From).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> DeleteRuleAsync(
        int id, NotifierDb db, ContactPolicyChange policyChange, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var rule = await db.ManualContactRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return TypedResults.NotFound();
        db.ManualContactRules.Remove(rule);
        await policyChange.RuleChangedAsync(rule, "removed", Actor(user), time.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<SuppressionDto>, ValidationProblem, Conflict<SuppressionDto>>> CreateSuppressionAsync(
        CreateSuppressionRequest body, NotifierDb db, ContactPolicyChange policyChange, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var text = body.Value?.Trim() ?? "";
        var value = text.Contains('@', StringComparison.Ordinal) && !text.StartsWith('@') ? ContactAddress.Normalize(text) : ParseDomain(text);
        if (value is null) return Invalid("value", "must be a mail address or a domain name such as example.net");
        var reason = body.Reason;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } bad) return Invalid(bad.Field, bad.Message);
        if (reason is null) return Invalid("reason", "is required: say why this is never to be notified");
        if (await db.Suppressions.AsNoTracking().SingleOrDefaultAsync(s => s.Value == value, ct) is { } existing)
            return TypedResults.Conflict(SuppressionDto.From(existing));
        var s = new Suppression { Value = value, Reason = reason, AddedBy = Actor(user), AddedAt = time.GetUtcNow() };
        db.Suppressions.Add(s);
        await policyChange.SuppressionChangedAsync(s.ToPolicy(), time.GetUtcNow(), ct);
        return TypedResults.Created($"/api/suppressions/{s.Id}", SuppressionDto.From(s));
    }

    private static async Task<Ok<List<SuppressionDto>>> ListSuppressionsAsync(NotifierDb db, string? q, CancellationToken ct)
    {
        var query = db.Suppressions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            // Suppressed values are stored lower-case (ContactAddress.Normalize); the reason is free text as typed.
            var term = q.Trim();
            var lower = term.ToLowerInvariant();
            query = query.Where(s => s.Value.Contains(lower) || s.Reason.Contains(term));
        }
        var rows = await query.OrderBy(s => s.Value).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(SuppressionDto.From).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> DeleteSuppressionAsync(
        int id, NotifierDb db, ContactPolicyChange policyChange, TimeProvider time, CancellationToken ct)
    {
        var s = await db.Suppressions.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return TypedResults.NotFound();
        db.Suppressions.Remove(s);
        await policyChange.SuppressionChangedAsync(s.ToPolicy(), time.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    /// <summary>A domain in ASCII with at least two labels ("@example.net" and ".example.net" are accepted as example.net).</summary>
    public static string? ParseDomain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var domain = DomainNames.ToAscii(text.Trim().TrimStart('@', '.'));
        return domain is not null && domain.Contains('.', StringComparison.Ordinal) ? domain : null;
    }
}
