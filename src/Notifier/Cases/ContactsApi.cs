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
        return TypedResults.Accepted($"/api/cases/{id}", new ContactLookupRequested(CaseSummaryDto.From(c), scheduled));
    }

    /// <summary>A scheduled lookup is run by the dispatcher (kicked now); otherwise the job is enqueued directly.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, int caseId, bool scheduled)
    {
        if (scheduled) CaseDispatcher.Nudge(jobs);
        else jobs.Enqueue<ContactLookupJob>(j => j.RunAsync(caseId, CancellationToken.None));
    }

    private static async Task<Results<Created<ContactRuleDto>, ValidationProblem>> CreateRuleAsync(
        CreateContactRuleRequest body, ContactRules rules, ClaimsPrincipal user, CancellationToken ct)
    {
        var (rule, error) = await rules.AddAsync(body, Actor(user), ct);
        if (error is not null) return Invalid(error.Field, error.Message);
        return TypedResults.Created($"/api/contacts/rules/{rule!.Id}", ContactRuleDto.From(rule));
    }

    private static async Task<Ok<List<ContactRuleDto>>> ListRulesAsync(ContactRules rules, int? caseId, string? address, CancellationToken ct) =>
        TypedResults.Ok((await rules.ListAsync(caseId, address, null, ct)).Select(ContactRuleDto.From).ToList());

    private static async Task<Results<NoContent, NotFound>> DeleteRuleAsync(int id, ContactRules rules, ClaimsPrincipal user, CancellationToken ct) =>
        await rules.RemoveAsync(id, Actor(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Created<SuppressionDto>, ValidationProblem, Conflict<SuppressionDto>>> CreateSuppressionAsync(
        CreateSuppressionRequest body, SuppressionList suppressions, ClaimsPrincipal user, CancellationToken ct)
    {
        var added = await suppressions.AddAsync(body.Value, body.Reason, Actor(user), ct);
        if (added.Error is { } error) return Invalid(error.Field, error.Message);
        if (added.Existing is { } existing) return TypedResults.Conflict(SuppressionDto.From(existing));
        return TypedResults.Created($"/api/suppressions/{added.Added!.Id}", SuppressionDto.From(added.Added));
    }

    private static async Task<Ok<List<SuppressionDto>>> ListSuppressionsAsync(SuppressionList suppressions, string? q, CancellationToken ct) =>
        TypedResults.Ok((await suppressions.ListAsync(q, ct)).Select(SuppressionDto.From).ToList());

    private static async Task<Results<NoContent, NotFound>> DeleteSuppressionAsync(int id, SuppressionList suppressions, CancellationToken ct) =>
        await suppressions.RemoveAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
