using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>/stats: the numbers of GET /api/stats as server-side SVG charts with their tables.</summary>
public sealed partial class StatsPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileMta = "<script>alert('mta')</script>";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The chart <paramref name="id"/> of the page, parsed as the XML it is.</summary>
    private static XElement Chart(string html, string id)
    {
        var m = Regex.Match(html, $"<svg[^>]*id=\"{id}\".*?</svg>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no chart {id} in the page");
        return XElement.Parse(m.Value);
    }

    private static List<(string Label, int Value, double Height)> Bars(XElement chart, string cssClass) =>
        chart.Elements(Svg + "rect").Where(r => ((string?)r.Attribute("class"))?.Split(' ').Contains(cssClass) == true && r.Attribute("data-value") is not null)
            .Select(r => ((string)r.Attribute("data-label")!, (int)r.Attribute("data-value")!, (double)r.Attribute("height")!)).ToList();

    /// <summary>
    /// Three ISO weeks of 2020: two cases opened in the first (one notified at once and resolved two days later, its
    /// probe saw <see cref="HostileMta"/>), none in the second, one in the third.
    /// </summary>
    private async Task SeedAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var monday = new DateTimeOffset(2020, 1, 6, 10, 0, 0, TimeSpan.Zero);
        var fixedOne = CaseWorkflow.Open("192.0.2.201", 25, "192.0.2.201:25", "test", null, "test", monday);
        var other = CaseWorkflow.Open("192.0.2.202", 25, "192.0.2.202:25", "test", null, "test", monday.AddDays(2));
        var late = CaseWorkflow.Open("192.0.2.203", 25, "192.0.2.203:25", "test", null, "test", monday.AddDays(15));
        var p = CaseWorkflow.QueueProbe(fixedOne, ProbeMode.Quick, monday);
        (p.Status, p.StartedAt, p.FinishedAt, p.Mta) = (ProbeStatus.Done, monday, monday, HostileMta);
        CaseWorkflow.Confirm(fixedOne, p, ProbeVerdict.Confirmed, "the canary arrived", monday);
        var n = CaseWorkflow.PlanNotice(fixedOne, "FirstNotice", "abuse@stats.example", null, "test", null, monday.AddHours(2), "test", "test", monday.AddHours(2));
        CaseWorkflow.NoticeSent(fixedOne, n, "outbox", "test", new RetestOptions(), monday.AddHours(2));
        // The resolution's timeline row as CaseWorkflow.Move writes it (the statistics read Kind and ToState).
        var resolved = CaseWorkflow.Event(monday.AddHours(50), CaseWorkflow.System, CaseEventKind.StateChanged, "Monitoring → Resolved: test", null);
        resolved.ToState = CaseState.Resolved;
        fixedOne.Events.Add(resolved);
        // Nothing due, so the running dispatcher leaves these old cases alone; saved at once, so it never sees them due.
        foreach (var c in new[] { fixedOne, other, late }) CaseWorkflow.NothingToConfirm(c);
        db.Cases.AddRange(fixedOne, other, late);
        db.Notices.Add(n);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Get_DrawsOneBarPerWeek_WithHeightsProportionalToTheCounts()
    {
        await SeedAsync();
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync("/stats?from=2020-01-06&to=2020-01-27");

        var weeks = Chart(html, "chart-weeks");
        Assert.Equal("Cases opened and resolved per week", weeks.Element(Svg + "title")?.Value);
        Assert.Equal([("2020-W02", 2, SvgChartsPlot), ("2020-W03", 0, 0), ("2020-W04", 1, SvgChartsPlot / 2)], Bars(weeks, "bar-opened"));
        Assert.Equal([1, 0, 0], Bars(weeks, "bar-resolved").Select(b => b.Value));
        var fix = Bars(Chart(html, "chart-fix"), "bar-fix");
        Assert.Equal(1, Assert.Single(fix, b => b.Label == "1 d–3 d").Value);
        Assert.Equal(0, fix.Where(b => b.Label != "1 d–3 d").Sum(b => b.Value));
        // The same numbers as a table for screen readers.
        Assert.Contains("<tr><th scope=\"row\">2020-W02</th><td>2020-01-06</td><td>2</td>", html, StringComparison.Ordinal);
        Assert.Contains("100 %", html, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileMta, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;mta&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RendersEveryChartEmpty_WhenTheDatabaseIsEmpty()
    {
        using var empty = new DefaultNotifierFactory();
        var client = await DashboardSession.SignedInAsync(empty);

        var r = await client.GetAsync("/stats");
        var html = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var opened = Bars(Chart(html, "chart-weeks"), "bar-opened");
        Assert.Equal(Notifier.Stats.StatsRange.DefaultWeeks, opened.Count);
        Assert.All(opened, b => Assert.Equal((0, 0.0), (b.Value, b.Height)));
        Assert.All(Bars(Chart(html, "chart-fix"), "bar-fix"), b => Assert.Equal(0, b.Value));
        Assert.Contains("no data", html, StringComparison.Ordinal);
        Assert.Contains("No cases in the range.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NamesTheField_WhenTheRangeIsBad()
    {
        var client = await DashboardSession.SignedInAsync(factory);

        var html = await client.GetStringAsync("/stats?from=2020-02-01&to=2020-01-01");

        Assert.Contains("from: must be before to", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    private const double SvgChartsPlot = Notifier.Stats.SvgCharts.PlotHeight;
}
