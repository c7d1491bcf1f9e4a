using System.Security.Claims;
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
        long Id, string Class, string? Intent, string? Rule, string? Detail, int? CaseId, int? ProbeId, string? MessageId,
        string? From, string? Subject, DateTimeOffset? Date, DateTimeOffset ProcessedAt, string? MovedTo)
    {
        public static InboundMessageDto Of(InboundMessage m) =>
            new(m.Id, m.Class, m.Intent, m.Rule, m.Detail, m.CaseId, m.ProbeId, m.MessageId, m.From, m.Subject, m.Date, m.ProcessedAt, m.MovedTo);
    }

    public sealed record IntentRequest(string Intent);

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/inbox").RequireAuthorization(AuthExtensions.ApiRead).WithTags("inbox");
        var write = app.MapGroup("/api/inbox").RequireAuthorization(AuthExtensions.ApiWrite).WithTags("inbox");
        read.MapGet("/messages", ListAsync).WithSummary("Inbound mail, newest first, filtered by class and case");
        read.MapGet("/messages/{id:long}", GetAsync).WithSummary("One inbound message with its headers");
        read.MapGet("/messages/{id:long}/raw", RawAsync).WithSummary("The message as received (.eml)");
        write.MapPut("/messages/{id:long}/intent", SetIntentAsync).WithSummary("Change a reply's intent (fixed, false-positive, wrong-contact, opt-out, abusive, other)");
        return app;
    }

    private static async Task<Ok<List<InboundMessageDto>>> ListAsync(NotifierDb db, string? @class, int? caseId, int? take, CancellationToken ct)
    {
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

    private static async Task<Results<Ok<InboundMessageDto>, NotFound, ValidationProblem>> SetIntentAsync(
        long id, IntentRequest body, NotifierDb db, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!ReplyIntent.All.Contains(body.Intent))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["intent"] = [$"one of {string.Join(", ", ReplyIntent.All)}"] });
        var m = await db.InboundMessages.SingleOrDefaultAsync(x => x.Id == id && x.Class == InboundClass.Reply, ct);
        if (m is null) return TypedResults.NotFound();
        if (m.Intent != body.Intent && m.CaseId is { } caseId && await db.Cases.FindAsync([caseId], ct) is { } c)
        {
            // Only the label changes: the action of the old intent (retest, suppression) is the operator's to undo.
            CaseWorkflow.MailReceived(c, CaseEventKind.Note, $"Reply {m.Id} intent changed from {m.Intent} to {body.Intent} by {user.Identity?.Name}", false, time.GetUtcNow());
            m.Rule = $"{m.Rule}; intent set by api:{user.Identity?.Name}";
            m.Intent = body.Intent;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(InboundMessageDto.Of(m));
    }
}
