using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// The REST API for notices: list, preview (render any kind without sending), plan (a first notice, or an operator's
/// reminder), approve (one or in bulk), cancel and resend. Actions change rows and enqueue the dispatcher; nothing here sends mail inline (DESIGN.md).
/// </summary>
public static class NoticesApi
{
    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiRead).WithTags("notices");
        var write = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiWrite).WithTags("notices");
        read.MapGet("/notices", ListAsync).WithSummary("Notices, newest first, filtered by state and case");
        read.MapGet("/cases/{id:int}/notices/preview", PreviewAsync).WithSummary("Render a notice for the case without sending it: kind, lang and contact (address) to choose");
        write.MapPost("/cases/{id:int}/notices", PlanAsync).WithSummary("Plan a notice for the case now, approved by the caller: kind FirstNotice (the default; allowUnconfirmed for an accepts-but-drops case) or Reminder (a notified case); the other kinds are planned by the retests");
        write.MapPost("/notices/{id:long}/approve", ApproveAsync).WithSummary("Approve a notice awaiting approval: it is sent at once (within the budget)");
        write.MapPost("/notices/approve", ApproveManyAsync).WithSummary("Approve several notices awaiting approval by id");
        write.MapPost("/notices/{id:long}/cancel", CancelAsync).WithSummary("Cancel a notice that is not sent yet");
        write.MapPut("/notices/{id:long}/text", EditTextAsync).WithSummary("Edit and send: give a notice not sent yet (awaiting approval or queued) your own plain text, with a reason; one awaiting approval is approved");
        write.MapPost("/notices/{id:long}/resend", ResendAsync).WithSummary("Send a notice again as a new notice (after an interruption, a failure, or on purpose)");
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => $"api:{user.Identity?.Name}";

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    private static async Task<Results<Ok<List<NoticeDto>>, ValidationProblem>> ListAsync(NotifierDb db, string? state, int? caseId, CancellationToken ct)
    {
        if (state is not null && !NoticeState.All.Contains(state)) return Invalid("state", $"must be one of {string.Join(", ", NoticeState.All)}");
        var query = db.Notices.AsNoTracking();
        if (state is not null) query = query.Where(n => n.State == state);
        if (caseId is not null) query = query.Where(n => n.CaseId == caseId);
        var rows = await query.OrderByDescending(n => n.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(NoticeDto.From).ToList());
    }

    private static async Task<Results<Ok<NoticePreviewDto>, NotFound, ValidationProblem>> PreviewAsync(
        int id, string? kind, string? lang, string? contact, NotifierDb db, NoticePreview preview, CancellationToken ct)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == id, ct)) return TypedResults.NotFound();
        NoticeKind parsed = NoticeKind.FirstNotice;
        if (kind is not null && !NoticeKindName.TryParse(kind, out parsed))
            return Invalid("kind", $"must be one of {string.Join(", ", Enum.GetNames<NoticeKind>())}");
        if (lang is not null && lang is not (NoticeLanguage.English or NoticeLanguage.German))
            return Invalid("lang", $"must be {NoticeLanguage.English} or {NoticeLanguage.German}");
        var result = await preview.RenderAsync(id, parsed, lang, contact, ct);
        return result.Error is { } error ? Invalid("contact", error) : TypedResults.Ok(result.Preview!);
    }

    /// <summary>The kinds an operator may ask for; the others follow from the retests (Cases/FollowUpNotices).</summary>
    private static readonly NoticeKind[] OperatorKinds = [NoticeKind.FirstNotice, NoticeKind.Reminder];

    private static async Task<Results<Ok<NoticeDto>, NotFound, Conflict<string>, ValidationProblem>> PlanAsync(
        int id, PlanNoticeRequest? body, NotifierDb db, NoticePlanner planner, NoticeSuppressions suppressions, TimeProvider time, IBackgroundJobClient jobs,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var kind = NoticeKind.FirstNotice;
        if (body?.Kind is { } asked && !NoticeKindName.TryParse(asked, out kind))
            return Invalid("kind", $"must be one of {string.Join(", ", OperatorKinds)}");
        if (!OperatorKinds.Contains(kind))
            return Invalid("kind", $"{kind} notices are planned by the retests (a retest finding the relay open, closed, or still open after the ignored notices); "
                + $"an operator can ask for {string.Join(" or ", OperatorKinds)}");
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.NotFound();
        if (c.State == CaseState.Closed) return TypedResults.Conflict("the case is closed");
        var now = time.GetUtcNow();
        Notice? notice;
        if (kind == NoticeKind.Reminder)
        {
            var outcome = await NoticeReminder.PlanAsync(db, suppressions, c, Actor(user), now, ct);
            if (outcome.NotNotified is { } notNotified) return Invalid("kind", notNotified);
            if (outcome.Refusal is { } refusal) return TypedResults.Conflict(refusal);
            notice = outcome.Notice;
            await db.SaveChangesAsync(ct);
        }
        else
        {
            notice = await planner.PlanFirstNoticeAsync(c, Actor(user), body?.AllowUnconfirmed ?? false, now, ct);
            await db.SaveChangesAsync(ct);
            if (notice is null)
            {
                var why = await db.CaseEvents.Where(e => e.CaseId == id && e.Kind == CaseEventKind.NoticeNotPlanned).OrderByDescending(e => e.Id).Select(e => e.Summary).FirstOrDefaultAsync(ct);
                return TypedResults.Conflict(why ?? $"the case is {c.State}: no notice planned");
            }
        }
        CaseDispatcher.Nudge(jobs);
        return TypedResults.Ok(NoticeDto.From(notice!));
    }

    private static async Task<Results<Ok<NoticeDto>, NotFound, Conflict<string>>> ApproveAsync(
        long id, NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await NoticeActions.ApproveAsync(db, [id], Actor(user), time.GetUtcNow(), ct);
        if (result.Approved.Count == 1)
        {
            CaseDispatcher.Nudge(jobs);
            return TypedResults.Ok(result.Approved[0]);
        }
        var refused = result.Refused[0];
        return refused.Reason == NoticeActions.NoSuchNotice ? TypedResults.NotFound() : TypedResults.Conflict(refused.Reason);
    }

    private static async Task<Results<Ok<ApproveNoticesResult>, ValidationProblem>> ApproveManyAsync(
        ApproveNoticesRequest body, NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.Ids is not { Count: > 0 and <= 1000 }) return Invalid("ids", "give between 1 and 1000 notice ids");
        var result = await NoticeActions.ApproveAsync(db, body.Ids.Distinct().ToList(), Actor(user), time.GetUtcNow(), ct);
        if (result.Approved.Count > 0) CaseDispatcher.Nudge(jobs);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<NoticeDto>, NotFound, Conflict<string>, ValidationProblem>> CancelAsync(
        long id, CancelNoticeRequest? body, NotifierDb db, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var reason = body?.Reason;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error)
            return Invalid(error.Field, error.Message);
        var outcome = await NoticeActions.CancelAsync(db, id, Actor(user), reason ?? "cancelled through the API", time.GetUtcNow(), ct);
        return outcome.Notice is null ? TypedResults.NotFound()
            : outcome.Refusal is { } why ? TypedResults.Conflict(why)
            : TypedResults.Ok(NoticeDto.From(outcome.Notice));
    }

    private static async Task<Results<Ok<NoticeDto>, NotFound, Conflict<string>, ValidationProblem>> EditTextAsync(
        long id, EditNoticeTextRequest? body, NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var (text, reason) = (body?.Text, body?.Reason);
        if (NoticeActions.CheckEdit(ref text, ref reason) is { } error) return Invalid(error.Field, error.Message);
        var outcome = await NoticeActions.EditAsync(db, id, text!, reason!, Actor(user), time.GetUtcNow(), ct);
        if (outcome.Succeeded) CaseDispatcher.Nudge(jobs);
        return outcome.Notice is null ? TypedResults.NotFound()
            : outcome.Refusal is { } why ? TypedResults.Conflict(why)
            : TypedResults.Ok(NoticeDto.From(outcome.Notice));
    }

    private static async Task<Results<Ok<NoticeDto>, NotFound, Conflict<string>>> ResendAsync(
        long id, NotifierDb db, NoticeSuppressions suppressions, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await NoticeActions.ResendAsync(db, suppressions, id, Actor(user), time.GetUtcNow(), ct);
        if (outcome.Succeeded) CaseDispatcher.Nudge(jobs);
        return Result(outcome);
    }

    private static Results<Ok<NoticeDto>, NotFound, Conflict<string>> Result(NoticeActionOutcome outcome) =>
        outcome.Notice is null ? TypedResults.NotFound()
        : outcome.Refusal is { } why ? TypedResults.Conflict(why)
        : TypedResults.Ok(NoticeDto.From(outcome.Notice));
}
