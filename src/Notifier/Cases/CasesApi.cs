using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Auth;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>The REST API for cases: intake (single, CSV, spam sample), reading, and operator actions.</summary>
public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiRead).WithTags("cases");
        var write = app.MapGroup("/api").RequireAuthorization(AuthExtensions.ApiWrite).WithTags("cases");
        write.MapPost("/cases", CreateAsync).WithSummary("Report a suspected relay: opens a case, or records the report on its open case");
        read.MapGet("/cases/{id:int}", GetAsync).WithSummary("A case with its probes (verdicts, variants, transcripts), events, samples and ranked contacts with provenance");
        read.MapGet("/cases", ListAsync).WithSummary("A page of cases, filtered by state and a search text");
        write.MapPost("/cases/{id:int}/probe", ProbeNowAsync).WithSummary("Probe the relay again now");
        write.MapPost("/cases/{id:int}/close", CloseAsync).WithSummary("Close the case");
        write.MapPost("/cases/import", ImportAsync).WithSummary("Import a CSV of relays: address[,port][,source][,note] with a header row").DisableAntiforgery();
        write.MapPost("/samples", SampleAsync).WithSummary("Report a spam sample (raw .eml): its first untrusted Received hop becomes the suspected relay").DisableAntiforgery();
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => $"api:{user.Identity?.Name}";

    private static ValidationProblem Invalid(IntakeError e) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }, detail: e.ToString());

    private static async Task<Results<Created<CaseSummaryDto>, Ok<CaseSummaryDto>, ValidationProblem>> CreateAsync(
        CreateCaseRequest body, CaseIntake intake, IOptions<ProbingOptions> probing, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!RelayReport.TryCreate(body.Address, body.Port, body.Source, body.Note, probing.Value.AllowPrivateTargets, out var report, out var error))
            return Invalid(error);
        var outcome = await intake.ReportAsync(report, Actor(user), ct);
        var dto = CaseSummaryDto.From(outcome.Case, null);
        return outcome.Created ? TypedResults.Created($"/api/cases/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<CaseDetailDto>, NotFound>> GetAsync(int id, NotifierDb db, CancellationToken ct)
    {
        var c = await db.Cases.AsNoTracking()
            .Include(x => x.Probes.OrderByDescending(p => p.Id))
            .Include(x => x.Events.OrderBy(e => e.Id))
            .Include(x => x.Samples)
            .AsSplitQuery()
            .SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.NotFound();
        var last = c.Probes.FirstOrDefault(p => p.Verdict is not null)?.Verdict;
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == id).ToListAsync(ct);
        var lookup = await db.CaseContactLookups.AsNoTracking().SingleOrDefaultAsync(x => x.CaseId == id, ct);
        var notices = await db.Notices.AsNoTracking().Where(x => x.CaseId == id).OrderBy(x => x.Id).ToListAsync(ct);
        return TypedResults.Ok(new CaseDetailDto(
            CaseSummaryDto.From(c, last),
            c.Probes.Select(ProbeDto.From).ToList(),
            c.Events.Select(CaseEventDto.From).ToList(),
            c.Samples.Select(s => new SampleDto(s.Id, s.ReceivedAt, s.Subject, s.From, s.MessageId, s.Date, s.Raw.Length)).ToList(),
            CaseContactDto.List(contacts),
            lookup is null ? null : ContactLookupDto.From(lookup),
            notices.Select(NoticeDto.From).ToList()));
    }

    private static async Task<Results<Ok<CasePageDto>, ValidationProblem>> ListAsync(
        NotifierDb db, string? state, string? q, string? page, string? pageSize, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !CaseState.All.Contains(state)) errors["state"] = [$"must be one of {string.Join(", ", CaseState.All)}"];
        if (CasePaging.ReadPage(page, out var p) is { } pageError) errors["page"] = [pageError];
        if (CasePaging.ReadPageSize(pageSize, out var size) is { } sizeError) errors["pageSize"] = [sizeError];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var query = db.Cases.AsNoTracking();
        if (state is not null) query = query.Where(c => c.State == state);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var refId = CaseReference.Find(text);
            query = refId is { } rid
                ? query.Where(c => c.Id == rid)
                : query.Where(c => c.Address.StartsWith(text) || (c.Source != null && c.Source.Contains(text)) || (c.Note != null && c.Note.Contains(text)));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.Id).Skip(CasePaging.Offset(p, size)).Take(size)
            .Select(c => new { Case = c, Last = c.Probes.Where(x => x.Verdict != null).OrderByDescending(x => x.Id).Select(x => x.Verdict).FirstOrDefault() })
            .ToListAsync(ct);
        return TypedResults.Ok(new CasePageDto(rows.Select(r => CaseSummaryDto.From(r.Case, r.Last)).ToList(), p, size, total));
    }

    private static async Task<Results<Accepted<CaseSummaryDto>, NotFound, Conflict<string>>> ProbeNowAsync(
        int id, NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.NotFound();
        if (c.State == CaseState.Closed) return TypedResults.Conflict("the case is closed");
        CaseWorkflow.RequestProbe(c, Actor(user), time.GetUtcNow(), "requested through the API");
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<CaseDispatcher>(d => d.RunAsync(CancellationToken.None));
        return TypedResults.Accepted($"/api/cases/{id}", CaseSummaryDto.From(c, null));
    }

    public sealed record CloseRequest(string? Reason);

    private static async Task<Results<Ok<CaseSummaryDto>, NotFound, ValidationProblem>> CloseAsync(
        int id, CloseRequest? body, NotifierDb db, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var reason = body?.Reason;
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error) return Invalid(error);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.NotFound();
        if (c.State != CaseState.Closed) CaseWorkflow.Close(c, Actor(user), time.GetUtcNow(), reason ?? "closed through the API");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseSummaryDto.From(c, null));
    }

    public sealed record ImportedRow(int Line, int CaseId, string Reference, bool Created);

    public sealed record ImportReport(IReadOnlyList<ImportedRow> Imported, IReadOnlyList<CsvRejectedRow> Rejected, IReadOnlyList<CsvDuplicateRow> Duplicates);

    private static async Task<Results<Ok<ImportReport>, ValidationProblem>> ImportAsync(
        HttpRequest request, RelayCsvParser parser, CaseIntake intake, IOptions<ProbingOptions> probing, ClaimsPrincipal user, CancellationToken ct)
    {
        var body = await BodyAsync(request, ct);
        if (body is null) return Invalid(new IntakeError("file", "send the CSV as the request body (text/csv) or as a multipart file"));
        var parsed = await parser.ParseAsync(body, probing.Value.AllowPrivateTargets, ct);
        if (parsed.Error is { } error) return Invalid(error);
        var imported = await intake.ImportAsync(parsed.Rows, Actor(user), ct);
        return TypedResults.Ok(new ImportReport(
            imported.Select(i => new ImportedRow(i.Row.Line, i.Outcome.Case.Id, i.Outcome.Case.Reference, i.Outcome.Created)).ToList(),
            parsed.Rejected, parsed.Duplicates));
    }

    /// <summary>
    /// What was made of a sample: the case, what was read from the headers (cut to their stored length) and how many
    /// Received hops were walked. Never the sample itself: it can be megabytes, and the client has it.
    /// </summary>
    public sealed record SampleReport(CaseSummaryDto Case, bool Created, SampleDto Sample, string Summary, int Hops);

    private static async Task<Results<Created<SampleReport>, Ok<SampleReport>, ValidationProblem>> SampleAsync(
        HttpRequest request, SpamSampleParser parser, CaseIntake intake, IOptions<ProbingOptions> probing, ClaimsPrincipal user, CancellationToken ct)
    {
        var body = await BodyAsync(request, ct);
        if (body is null) return Invalid(new IntakeError("sample", "send the raw message (.eml) as the request body or as a multipart file"));
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        var raw = copy.ToArray();
        var parsed = parser.Parse(raw, probing.Value.AllowPrivateTargets);
        if (parsed.Error is { } error) return Invalid(error);
        if (!parsed.HasSuspect) return Invalid(new IntakeError("sample", parsed.Summary));
        var (outcome, sample) = await intake.AddSampleAsync(parsed, raw, Actor(user), ct);
        var report = new SampleReport(CaseSummaryDto.From(outcome.Case, null), outcome.Created,
            new SampleDto(sample.Id, sample.ReceivedAt, sample.Subject, sample.From, sample.MessageId, sample.Date, sample.Raw.Length),
            CaseIntake.SummaryOf(parsed), parsed.Hops.Count);
        return outcome.Created ? TypedResults.Created($"/api/cases/{outcome.Case.Id}", report) : TypedResults.Ok(report);
    }

    /// <summary>The uploaded file of a multipart form, or the raw body. Both belong to the request, which disposes them.</summary>
    private static async Task<Stream?> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            return form.Files.Count > 0 ? form.Files[0].OpenReadStream() : null;
        }
        if (request.ContentLength == 0) return null;
        return request.Body;
    }
}
