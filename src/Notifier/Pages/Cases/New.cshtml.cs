using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Cases;
using Notifier.Intake;

namespace Notifier.Pages.Cases;

/// <summary>Intake from the dashboard: the same validation and the same CaseIntake as the API.</summary>
public sealed class NewModel(CaseIntake intake, RelayCsvParser csv, SpamSampleParser samples, TargetPolicy targets) : PageModel
{
    [BindProperty] public string? Address { get; set; }
    /// <summary>As typed: the intake's text parser names the field for <c>abc</c> or <c>25.5</c> (an int binding made them 25).</summary>
    [BindProperty] public string? Port { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Note { get; set; }
    public List<string> Errors { get; } = [];
    public string? Imported { get; private set; }

    private string Actor => DeskUser.Actor(User);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostOneAsync(CancellationToken ct)
    {
        if (!RelayReport.TryCreate(Address, Port, Source ?? Actor, Note, targets, out var report, out var error))
        {
            Errors.Add(error.ToString());
            return Page();
        }
        var outcome = await intake.ReportAsync(report, Actor, ct);
        return Redirect($"/cases/{outcome.Case.Id}");
    }

    public async Task<IActionResult> OnPostCsvAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null) { Errors.Add("file: choose a CSV file"); return Page(); }
        await using var stream = file.OpenReadStream();
        var parsed = await csv.ParseAsync(stream, ct);
        if (parsed.Error is { } error) { Errors.Add(error.ToString()); return Page(); }
        var done = await intake.ImportAsync(parsed.Rows, Actor, ct);
        Errors.AddRange(parsed.Rejected.Select(r => $"line {r.Line}: {r.Field}: {r.Reason}"));
        Imported = $"{done.Count(d => d.Outcome.Created)} case(s) opened, {done.Count(d => !d.Outcome.Created)} report(s) added to open cases, {parsed.Rejected.Count} row(s) rejected, {parsed.Duplicates.Count} duplicate(s).";
        return Page();
    }

    public async Task<IActionResult> OnPostSampleAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null) { Errors.Add("sample: choose a .eml file"); return Page(); }
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, ct);
        var raw = copy.ToArray();
        var parsed = samples.Parse(raw);
        if (parsed.Error is { } error) { Errors.Add(error.ToString()); return Page(); }
        if (!parsed.HasSuspect) { Errors.Add($"sample: {parsed.Summary}"); return Page(); }
        var (outcome, _) = await intake.AddSampleAsync(parsed, raw, Actor, ct);
        return Redirect($"/cases/{outcome.Case.Id}");
    }
}
