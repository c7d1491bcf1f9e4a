using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>Inbound mail for operators: the list (by class, case), one message with its raw bytes, and changing a reply's intent.</summary>
public static class InboxApi
{
    public sealed record InboundMessageDto(
        long Id, string Class, string? Intent, string? HeldIntent, string? Rule, string? Detail, int? CaseId, int? ProbeId, string? MessageId,
        string? From, string? Subject, DateTimeOffset? Date, DateTimeOffset ProcessedAt, string? MovedTo)
    {
        public static InboundMessageDto Of(InboundMessage m) =>
            new(m.Id, m.Class, m.Intent, m.HeldIntent, m.Rule, m.Detail, m.CaseId, m.ProbeId, m.MessageId, m.From, m.Subject, m.Date, m.ProcessedAt, m.MovedTo);
    }

    public sealed record IntentRequest(string Intent);

    /// <summary>The case to file a message onto, by id.</summary>
    public sealed record FileRequest(int? CaseId);

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/inbox").RequireAuthorization(AuthExtensions.ApiRead).WithTags("inbox");
        var write = app.MapGroup("/api/inbox").RequireAuthorization(AuthExtensions.ApiWrite).WithTags("inbox");
        read.MapGet("/messages", ListAsync).WithSummary("Inbound mail, newest first, filtered by class and case");
        read.MapGet("/messages/{id:long}", GetAsync).WithSummary("One inbound message with its headers");
        read.MapGet("/messages/{id:long}/raw", RawAsync).WithSummary("The message as received (.eml)");
        write.MapPut("/messages/{id:long}/case", FileAsync).WithSummary("File mail the inbox placed nowhere (unknown, or on no case) onto a case: a person's mail becomes a reply of it and its intent is acted on as the inbox would; mail on a case already is refused (409)");
        write.MapPut("/messages/{id:long}/intent", SetIntentAsync).WithSummary("Change a reply's intent (fixed, false-positive, wrong-contact, opt-out, abusive, other), or apply the held one by setting it");
        return app;
    }

    private static async Task<Results<Ok<List<InboundMessageDto>>, ValidationProblem>> ListAsync(NotifierDb db, string? @class, int? caseId, int? take, CancellationToken ct)
    {
        if (@class is not null && !InboundClass.All.Contains(@class))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["class"] = [$"one of {string.Join(", ", InboundClass.All)}"] });
        var q = db.InboundMessages.AsNoTracking();
        if (@class is not null) q = q.Where(m => m.Class == @class);
        if (caseId is not null) q = q.Where(m => m.CaseId == caseId);
        var rows = await q.OrderByDescending(m => m.Id).Take(Math.Clamp(take ?? 100, 1, 500)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(InboundMessageDto.Of).ToList());
    }

    private static async Task<Results<Ok<object>, NotFound>> GetAsync(long id, NotifierDb db, CancellationToken ct)
    {
        var m = await db.InboundMessages.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return m is null ? TypedResults.NotFound() : TypedResults.Ok<object>(new { message = InboundMessageDto.Of(m), headers = m.Headers });
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> RawAsync(long id, NotifierDb db, CancellationToken ct)
    {
        var raw = await db.InboundMessages.AsNoTracking().Where(x => x.Id == id).Select(x => x.Raw).SingleOrDefaultAsync(ct);
        return raw is null ? TypedResults.NotFound() : TypedResults.File(raw, "message/rfc822", $"inbound-{id}.eml");
    }

    private static async Task<Results<Ok<InboundMessageDto>, NotFound, ValidationProblem, Conflict<string>>> FileAsync(
        long id, FileRequest body, InboxFiling filing, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body?.CaseId is not { } caseId)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["caseId"] = ["is required: the id of the case to file the message onto"] });
        var outcome = await filing.FileAsync(id, caseId, $"api:{user.Identity?.Name}", ct);
        switch (outcome.Problem)
        {
            case InboxFiling.Problem.MessageNotFound:
                return TypedResults.NotFound();
            case InboxFiling.Problem.CaseNotFound:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["caseId"] = [outcome.Error!] }, detail: $"caseId: {outcome.Error}");
            case InboxFiling.Problem.AlreadyFiled or InboxFiling.Problem.CaseChanged:
                return TypedResults.Conflict(outcome.Error!);
        }
        return TypedResults.Ok(InboundMessageDto.Of(outcome.Message!));
    }

    /// <summary>
    /// Only replies have an intent (409 for other classes). The change and what it did (see
    /// <see cref="ReplyIntentChange"/>) are saved in one transaction with a case event; setting the same intent again
    /// changes nothing, except when the inbox held it for an operator (<c>heldIntent</c>): then setting it applies it.
    /// </summary>
    private static async Task<Results<Ok<InboundMessageDto>, NotFound, ValidationProblem, Conflict<string>>> SetIntentAsync(
        long id, IntentRequest body, ReplyIntentChange change, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var outcome = await change.SetAsync(id, body?.Intent, $"api:{user.Identity?.Name}", now, ct);
        switch (outcome.Result)
        {
            case ReplyIntentResult.InvalidIntent:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["intent"] = [outcome.Detail!] });
            case ReplyIntentResult.NotFound:
                return TypedResults.NotFound();
            case ReplyIntentResult.NotAReply or ReplyIntentResult.CaseChanged:
                return TypedResults.Conflict(outcome.Detail!);
        }
        // "fixed" made a retest due now: start it in seconds rather than at the dispatcher's next tick.
        if (outcome.Case?.NextActionAt <= now) CaseDispatcher.Nudge(jobs);
        return TypedResults.Ok(InboundMessageDto.Of(outcome.Message!));
    }
}
