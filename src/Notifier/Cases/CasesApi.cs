using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Auth;
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
        read.MapGet("/cases", ListAsync).WithSummary("A page of cases, filtered by state, source, network (CIDR), MTA, age in days, assignee, queue section and a search text");
        write.MapPost("/cases/{id:int}/probe", ProbeNowAsync)
            .WithSummary("Probe the relay again now; on a notified case a retest (RCPT only, under Retests:MinInterval), or with ?confirm=full a full confirmation with a test message");
        write.MapPost("/cases/{id:int}/close", CloseAsync).WithSummary("Close the case with a reason (false-positive, duplicate, owner-disputes, not-ours, fixed, other) and a note");
        write.MapPost("/cases/{id:int}/owner-links/{linkId:long}/revoke", RevokeOwnerLinkAsync)
            .WithSummary("Take back a contact's owner page link (/r/<token>): it answers 410 from then on; 409 when it is expired or revoked already");
        write.MapPost("/cases/import", ImportAsync).WithSummary("Import a CSV of relays: address[,port][,source][,note] with a header row").DisableAntiforgery();
        write.MapPost("/samples", SampleAsync).WithSummary("Report a spam sample (raw .eml): its first untrusted Received hop becomes the suspected relay").DisableAntiforgery();
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => $"api:{user.Identity?.Name}";

    private static ValidationProblem Invalid(IntakeError e) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }, detail: e.ToString());

    /// <summary>413: the upload is over its <c>Intake</c> limit (found while it was read, see <see cref="UploadBody"/>).</summary>
    private static ProblemHttpResult TooLarge(IntakeError e) =>
        TypedResults.Problem(e.ToString(), statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");

    private static async Task<Results<Created<CaseSummaryDto>, Ok<CaseSummaryDto>, ValidationProblem>> CreateAsync(
        CreateCaseRequest body, CaseIntake intake, TargetPolicy targets, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!RelayReport.TryCreate(body.Address, body.Port, body.Source, body.Note, targets, out var report, out var error))
            return Invalid(error);
        var outcome = await intake.ReportAsync(report, Actor(user), ct);
        var dto = CaseSummaryDto.From(outcome.Case);
        return outcome.Created ? TypedResults.Created($"/api/cases/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<CaseDetailDto>, NotFound>> GetAsync(int id, NotifierDb db, IOptions<RetestOptions> retests, CancellationToken ct)
    {
        var d = await CaseQueries.DetailAsync(db, id, ct);
        if (d is null) return TypedResults.NotFound();
        return TypedResults.Ok(new CaseDetailDto(
            CaseSummaryDto.From(d.Case), d.Probes, d.Events.Select(CaseEventDto.From).ToList(), d.Samples, d.Contacts, d.ContactLookup, d.Notices,
            RetestScheduleDto.From(d.Case, retests.Value)));
    }

    /// <summary>
    /// The case list's filters (state, source, network, mta, within, older, assignee, q, section; see
    /// <see cref="CaseListFilter"/>) read by the same reader as the dashboard's case list, so both show the same cases.
    /// </summary>
    private static async Task<Results<Ok<CasePageDto>, ValidationProblem>> ListAsync(
        HttpRequest request, NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests, ClaimsPrincipal user, string? page, string? pageSize, CancellationToken ct)
    {
        var (query, filterErrors) = CaseListFilter.From(request.Query).Read(user.Identity?.Name, openWhenNoState: false, CaseListOrder.NewestFirst);
        var errors = filterErrors.ToDictionary(e => e.Key, e => new[] { e.Value });
        if (CasePaging.ReadPage(page, out var p) is { } pageError) errors["page"] = [pageError];
        if (CasePaging.ReadPageSize(pageSize, out var size) is { } sizeError) errors["pageSize"] = [sizeError];
        if (errors.Count > 0 || query is null) return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var (items, total) = await CaseQueries.ListAsync(db, query, time.GetUtcNow(), retests.Value, p, size, ct);
        return TypedResults.Ok(new CasePageDto(items, p, size, total));
    }

    private static async Task<Results<Accepted<ProbeRequestedDto>, NotFound, Conflict<string>, ValidationProblem>> ProbeNowAsync(
        int id, string? confirm, NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        if (confirm is not (null or "full"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["confirm"] = ["must be \"full\" (a full confirmation with a test message) or absent"] });
        var outcome = await CaseProbeRequests.RequestAsync(db, id, Actor(user), "requested through the API", confirm == "full", retests.Value, time, jobs, ct);
        return outcome switch
        {
            null => TypedResults.NotFound(),
            { Kind: ProbeRequestedDto.Nothing } => TypedResults.Conflict("the case is closed"),
            _ => TypedResults.Accepted($"/api/cases/{id}", outcome),
        };
    }

    /// <summary>
    /// <paramref name="Reason"/> is one of <see cref="CloseReason.ForOperators"/> (anything else is a 400, so a
    /// mistyped reason never closes a case under the wrong one); <paramref name="Note"/> says the rest in words.
    /// </summary>
    public sealed record CloseRequest(string? Reason, string? Note);

    private static async Task<Results<Ok<CaseSummaryDto>, NotFound, ValidationProblem>> CloseAsync(
        int id, CloseRequest? body, NotifierDb db, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var reason = body?.Reason;
        var note = body?.Note;
        if (CaseClosing.Check(ref reason, ref note) is { } error) return Invalid(error);
        var (c, _) = await CaseClosing.CloseAsync(db, id, Actor(user), reason!, note, time.GetUtcNow(), ct);
        return c is null ? TypedResults.NotFound() : TypedResults.Ok(CaseSummaryDto.From(c));
    }

    private static async Task<Results<Ok<OwnerLinkRevocation>, NotFound, Conflict<OwnerLinkRevocation>>> RevokeOwnerLinkAsync(
        int id, long linkId, OwnerLinks links, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await links.RevokeAsync(id, linkId, Actor(user), time.GetUtcNow(), ct);
        return outcome switch
        {
            null => TypedResults.NotFound(),
            { Revoked: false } => TypedResults.Conflict(outcome),
            _ => TypedResults.Ok(outcome),
        };
    }

    /// <summary>
    /// An operator's change must win over a job that moves the case at the same moment (a probe recording its
    /// verdict): on a version conflict the case is read again and the change made again, a few times at most.
    /// </summary>
    internal static async Task OperatorWinsAsync(NotifierDb db, Func<Task> change)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await change();
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public sealed record ImportedRow(int Line, int CaseId, string Reference, bool Created);

    public sealed record ImportReport(IReadOnlyList<ImportedRow> Imported, IReadOnlyList<CsvRejectedRow> Rejected, IReadOnlyList<CsvDuplicateRow> Duplicates);

    private static async Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, RelayCsvParser parser, IOptions<IntakeOptions> limits, CaseIntake intake, ClaimsPrincipal user, CancellationToken ct)
    {
        var body = await UploadBody.ReadAsync(request, limits.Value.MaxCsvBytes, ct);
        if (body.TooLarge) return TooLarge(parser.TooLarge().Error!);
        if (body.Bytes is null) return Invalid(new IntakeError("file", "send the CSV as the request body (text/csv) or as a multipart file"));
        var parsed = parser.Parse(body.Bytes);
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

    private static async Task<Results<Created<SampleReport>, Ok<SampleReport>, ValidationProblem, ProblemHttpResult>> SampleAsync(
        HttpRequest request, SpamSampleParser parser, IOptions<IntakeOptions> limits, CaseIntake intake, ClaimsPrincipal user, CancellationToken ct)
    {
        var body = await UploadBody.ReadAsync(request, limits.Value.MaxSampleBytes, ct);
        if (body.TooLarge) return TooLarge(parser.TooLarge().Error!);
        if (body.Bytes is not { } raw) return Invalid(new IntakeError("sample", "send the raw message (.eml) as the request body or as a multipart file"));
        var parsed = parser.Parse(raw);
        if (parsed.Error is { } error) return Invalid(error);
        if (!parsed.HasSuspect) return Invalid(new IntakeError("sample", parsed.Summary));
        var (outcome, sample) = await intake.AddSampleAsync(parsed, raw, Actor(user), ct);
        var report = new SampleReport(CaseSummaryDto.From(outcome.Case), outcome.Created,
            new SampleDto(sample.Id, sample.ReceivedAt, sample.Subject, sample.From, sample.MessageId, sample.Date, sample.Raw.Length),
            CaseIntake.SummaryOf(parsed), parsed.Hops.Count);
        return outcome.Created ? TypedResults.Created($"/api/cases/{outcome.Case.Id}", report) : TypedResults.Ok(report);
    }
}
