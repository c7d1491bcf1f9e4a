using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Notifier.Auth;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// <c>GET /api/export/cases</c> and <c>GET /api/export/contacts</c> (read scope): the cases of the case list's filters
/// (<see cref="CaseListFilter"/>: state, source, network, mta, within, older, assignee, q, section; every state when
/// none is given), changed since <c>since</c>, as <c>format=csv</c> (default) or <c>json</c>, streamed by
/// <see cref="CaseExport"/>.
/// </summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/export").RequireAuthorization(AuthExtensions.ApiRead).WithTags("export");
        read.MapGet("/cases", (HttpRequest request, string? format, string? since, NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests,
                IOptions<JsonOptions> json, ClaimsPrincipal user, CancellationToken ct) =>
                Export(ExportKind.Cases, request, format, since, db, time, retests.Value, json.Value, user, ct))
            .WithSummary("Cases as CSV or JSON for CERTs and upstreams: verdicts with times, notices sent, contacts; the case list's filters and since=DATE")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json"]);
        read.MapGet("/contacts", (HttpRequest request, string? format, string? since, NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests,
                IOptions<JsonOptions> json, ClaimsPrincipal user, CancellationToken ct) =>
                Export(ExportKind.Contacts, request, format, since, db, time, retests.Value, json.Value, user, ct))
            .WithSummary("The contacts of the selected cases as CSV or JSON, one row per case and contact, with provenance")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json"]);
        return app;
    }

    private static Results<PushStreamHttpResult, ValidationProblem> Export(ExportKind kind, HttpRequest request, string? format, string? since,
        NotifierDb db, TimeProvider time, RetestOptions retests, JsonOptions json, ClaimsPrincipal user, CancellationToken ct)
    {
        var (query, filterErrors) = CaseListFilter.From(request.Query).Read(user.Identity?.Name, openWhenNoState: false, CaseListOrder.NewestFirst);
        var errors = filterErrors.ToDictionary(e => e.Key, e => new[] { e.Value });
        var written = ExportFormats.Read(format);
        if (written is null) errors["format"] = ["must be csv or json"];
        if (!CaseExport.TryReadSince(since, out var from)) errors["since"] = [CaseExport.SinceProblem];
        if (query is null || written is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var cases = CaseExport.ChangedSince(CaseQueries.Filter(db, query, time.GetUtcNow(), retests), from);
        return TypedResults.Stream(body => CaseExport.WriteAsync(db, cases, kind, written.Value, body, json.SerializerOptions, ct),
            written.Value.ContentType(), $"{kind.Name()}.{written.Value.Extension()}");
    }
}
