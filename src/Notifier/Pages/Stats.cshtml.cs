using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Data;
using Notifier.Stats;

namespace Notifier.Pages;

/// <summary>
/// The case metrics of <c>GET /api/stats</c>, computed by the same <see cref="CaseStats"/> for the same range query
/// (<see cref="StatsRange.TryRead"/>: by default the 26 ISO weeks ending with this one), drawn as server-side SVG
/// (<see cref="SvgCharts"/>) with a table of every number beside each chart.
/// </summary>
public sealed class StatsModel(NotifierDb db, TimeProvider time) : PageModel
{
    public string? From { get; private set; }
    public string? To { get; private set; }
    public StatsDto? Stats { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task OnGetAsync(string? from, string? to, string? top, CancellationToken ct)
    {
        (From, To) = (from, to);
        var range = StatsRange.TryRead(NullIfEmpty(from), NullIfEmpty(to), NullIfEmpty(top), time.GetUtcNow(), out var errors);
        if (range is null)
        {
            Errors = errors.Select(e => $"{e.Key}: {e.Value[0]}").ToList();
            return;
        }
        (From, To) = (range.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), range.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Stats = await CaseStats.ComputeAsync(db, range, ct);
    }

    /// <summary>Cases opened and resolved per ISO week, as grouped bars.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent WeeksChart() => SvgCharts.Bars("chart-weeks", "Cases opened and resolved per week",
        Stats!.Weeks.Select(w => w.Week).ToList(),
        [
            new ChartSeries("opened", "bar-opened", Stats.Weeks.Select(w => w.Opened).ToList()),
            new ChartSeries("resolved", "bar-resolved", Stats.Weeks.Select(w => w.Resolved).ToList()),
        ]);

    /// <summary>How long the resolved cases took from the first notice to the fix.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent FixChart() => SvgCharts.Bars("chart-fix", "Time to fix (first notice to resolved), cases per bucket",
        Stats!.TimeToFixHistogram.Select(b => b.Label).ToList(),
        [new ChartSeries("cases", "bar-fix", Stats.TimeToFixHistogram.Select(b => b.Count).ToList())]);

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %" : "no data";

    public static string Hours(double? hours) => hours is { } h ? h.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " h" : "–";

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
