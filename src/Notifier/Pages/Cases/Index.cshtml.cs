using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Cases;

/// <summary>
/// The case list (/cases): the filters of <see cref="CaseListFilter"/> (the same reader as <c>GET /api/cases</c>),
/// paging, bulk actions on the selected rows (<see cref="CaseBulkActions"/>, operators only) and the export of
/// the current filter (cases or contacts, CSV or JSON). A bad filter is shown with a 400, never dropped.
/// </summary>
public sealed class IndexModel(NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests, IBackgroundJobClient jobs) : PageModel
{
    public const int PageSize = CasePaging.DefaultPageSize;

    /// <summary>The assignee choice in the bulk form that gives the cases to nobody.</summary>
    public const string Nobody = CaseListFilter.Nobody;

    public CaseListFilter Filter { get; private set; } = new();
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? Error { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public IReadOnlyList<CaseSummaryDto> Cases { get; private set; } = [];
    public int Total { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<string> Operators { get; private set; } = [];
    public IReadOnlyList<string> Mtas { get; private set; } = [];
    public IReadOnlyList<CaseBulkOutcome>? Outcomes { get; private set; }

    private string Actor => DeskUser.Actor(User);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ListAsync(ct);

    /// <summary>
    /// Every case of the current filter (or their contacts) as CSV or JSON, streamed in batches: the same writer as
    /// <c>GET /api/export/…</c> and the CLI's <c>export</c> (<see cref="CaseExport"/>).
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(string? of, string? format, [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Filter = CaseListFilter.From(Request.Query);
        var (query, filterErrors) = Filter.Read(User.Identity?.Name, openWhenNoState: true, CaseListOrder.NewestFirst);
        var errors = filterErrors.ToDictionary();
        var kind = ExportKinds.Read(of ?? "cases");
        if (kind is null) errors["of"] = "must be cases or contacts";
        var written = ExportFormats.Read(format);
        if (written is null) errors["format"] = "must be csv or json";
        if (query is null || kind is null || written is null || errors.Count > 0) return await ShowErrorsAsync(errors, ct);
        Response.ContentType = written.Value.ContentType();
        Response.Headers.ContentDisposition = $"attachment; filename={kind.Value.Name()}.{written.Value.Extension()}";
        await CaseExport.WriteAsync(db, CaseQueries.Filter(db, query, Now, retests.Value), kind.Value, written.Value, Response.Body, json.Value.SerializerOptions, ct);
        return new EmptyResult();
    }

    public Task<IActionResult> OnPostApproveAsync(int[] ids, CancellationToken ct) =>
        BulkAsync(ids, () => CaseBulkActions.ApproveAsync(db, ids, Actor, time.GetUtcNow(), jobs, ct), ct);

    public Task<IActionResult> OnPostRetestAsync(int[] ids, CancellationToken ct) =>
        BulkAsync(ids, () => CaseBulkActions.RetestAsync(db, ids, Actor, retests.Value, time, jobs, ct), ct);

    public async Task<IActionResult> OnPostCloseAsync(int[] ids, string? closeReason, string? note, CancellationToken ct)
    {
        if (CaseClosing.Check(ref closeReason, ref note) is { } error) return await ShowErrorsAsync(new Dictionary<string, string> { [error.Field] = error.Message }, ct);
        return await BulkAsync(ids, () => CaseBulkActions.CloseAsync(db, ids, Actor, closeReason!, note, time.GetUtcNow(), ct), ct);
    }

    public Task<IActionResult> OnPostAssignAsync(int[] ids, string? assignee, CancellationToken ct)
    {
        var to = string.IsNullOrWhiteSpace(assignee) || assignee == Nobody ? null : assignee.Trim();
        return BulkAsync(ids, () => CaseBulkActions.AssignAsync(db, ids, Actor, to, time.GetUtcNow(), ct), ct);
    }

    private async Task<IActionResult> BulkAsync(int[] ids, Func<Task<IReadOnlyList<CaseBulkOutcome>>> action, CancellationToken ct)
    {
        if (ids.Length is 0 or > CaseBulkActions.MaxCases)
            return await ShowErrorsAsync(new Dictionary<string, string> { ["ids"] = $"select from 1 to {CaseBulkActions.MaxCases} cases" }, ct);
        Outcomes = await action();
        db.ChangeTracker.Clear();
        return await ListAsync(ct);
    }

    private async Task<IActionResult> ListAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Filter = CaseListFilter.From(Request.Query);
        await LoadChoicesAsync(ct);
        var errors = new Dictionary<string, string>();
        var (query, filterErrors) = Filter.Read(User.Identity?.Name, openWhenNoState: true, CaseListOrder.AttentionThenRecentlyChanged);
        foreach (var e in filterErrors) errors[e.Key] = e.Value;
        if (CasePaging.ReadPage(Request.Query["p"].FirstOrDefault(), out var number) is { } pageError) errors["p"] = pageError;
        if (query is null || errors.Count > 0) return Show(errors);
        PageNumber = number;
        (Cases, Total) = await CaseQueries.ListAsync(db, query, Now, retests.Value, PageNumber, PageSize, ct);
        return Page();
    }

    private async Task<IActionResult> ShowErrorsAsync(IReadOnlyDictionary<string, string> errors, CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Filter = CaseListFilter.From(Request.Query);
        await LoadChoicesAsync(ct);
        return Show(errors);
    }

    /// <summary>The page with the errors and no rows, answered 400: a bad filter never shows "all cases" instead.</summary>
    private PageResult Show(IReadOnlyDictionary<string, string> errors)
    {
        Errors = errors;
        Error = string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"));
        return new PageResult { StatusCode = StatusCodes.Status400BadRequest };
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Operators = await db.Operators.AsNoTracking().Where(o => o.DisabledAt == null).OrderBy(o => o.UserName).Select(o => o.UserName).ToListAsync(ct);
        Mtas = await db.Cases.AsNoTracking().Where(c => c.Mta != null).Select(c => c.Mta!).Distinct().OrderBy(m => m).ToListAsync(ct);
    }

    public bool CanAct => User.CanAct();

    /// <summary>This list with the current filters and <paramref name="page"/>; every value URL-encoded.</summary>
    public string Link(int page) => "/cases" + QueryString.Create(Filter.Values().Append(KeyValuePair.Create("p", page.ToString(CultureInfo.InvariantCulture))).Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)));

    /// <summary>The export of the current filters: <paramref name="of"/> cases or contacts, as csv or json.</summary>
    public string ExportLink(string of, string format) => "/cases" + QueryString.Create(Filter.Values()
        .Prepend(KeyValuePair.Create("format", format)).Prepend(KeyValuePair.Create("of", of)).Prepend(KeyValuePair.Create("handler", "Export"))
        .Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)));

    /// <summary>The query string the bulk buttons post to, so the list shown after the action keeps its filters.</summary>
    public Dictionary<string, string> RouteValues => Filter.Values().Concat(PageNumber > 1 ? [KeyValuePair.Create("p", PageNumber.ToString(CultureInfo.InvariantCulture))] : []).ToDictionary();
}
