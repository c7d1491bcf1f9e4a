using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Html;

namespace Notifier.Stats;

/// <summary>One series of a bar chart: its name (in the legend and each bar's tooltip), its CSS class, a value per label.</summary>
public sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<int> Values);

/// <summary>
/// Bar charts drawn on the server as inline SVG: no charting library, no script, nothing fetched, and nothing the CSP
/// (no inline style) refuses: colours come from CSS classes (wwwroot/css/stats.css) and sizes from SVG attributes.
/// Written by hand because the few rectangles, ticks and labels a desk's counts need are less than a bundled npm
/// library and its build step. Built with <see cref="XElement"/>, which encodes every text and attribute value, so
/// a label can never become markup; labels here are week names and bucket bounds, never text from a case.
/// Each chart is a labelled image (<c>role="img"</c> with a title) and the page adds a table of the same numbers.
/// </summary>
public static class SvgCharts
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The height of the bars' area in SVG units: a bar of the largest value is this tall.</summary>
    public const double PlotHeight = 160;

    /// <summary>The chart's width in SVG units: the groups share it, so 8 buckets and 26 weeks both fill the card.</summary>
    public const double Width = 760;
    private const double MaxBarWidth = 28;
    private const double GroupGap = 8;
    private const double Left = 36;
    private const double Top = 12;
    private const double Bottom = 44;

    /// <summary>The height of a bar of <paramref name="value"/> when the largest value is <paramref name="max"/> (0 for an empty chart).</summary>
    public static double BarHeight(int value, int max) => max <= 0 ? 0 : Math.Round(value * PlotHeight / max, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Vertical bars: one group per label, one bar per series in each group (in <paramref name="series"/> order), each
    /// with <c>data-label</c> and <c>data-value</c> and a tooltip. At most about a dozen labels are written under the
    /// axis (every n-th), the tooltip and the table carry the rest.
    /// </summary>
    public static IHtmlContent Bars(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        if (series.Any(s => s.Values.Count != labels.Count))
            throw new ArgumentException("every series needs one value per label", nameof(series));
        var max = series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        var width = Width;
        var groupWidth = (width - Left - GroupGap) / Math.Max(1, labels.Count);
        var barWidth = Math.Min(MaxBarWidth, (groupWidth - GroupGap) / Math.Max(1, series.Count));
        var height = Top + PlotHeight + Bottom;
        var baseline = Top + PlotHeight;
        var svg = new XElement(Svg + "svg",
            new XAttribute("class", "chart"),
            new XAttribute("id", id),
            new XAttribute("viewBox", $"0 0 {N(width)} {N(height)}"),
            new XAttribute("role", "img"),
            new XAttribute("aria-labelledby", $"{id}-title"),
            new XElement(Svg + "title", new XAttribute("id", $"{id}-title"), title));

        // The axis: the baseline, and the largest value at the top of the scale.
        svg.Add(new XElement(Svg + "line", new XAttribute("class", "axis"),
            new XAttribute("x1", N(Left - 4)), new XAttribute("y1", N(baseline)), new XAttribute("x2", N(width)), new XAttribute("y2", N(baseline))));
        svg.Add(Text("tick", Left - 6, baseline + 4, "end", "0"));
        if (max > 0)
        {
            svg.Add(new XElement(Svg + "line", new XAttribute("class", "grid"),
                new XAttribute("x1", N(Left - 4)), new XAttribute("y1", N(Top)), new XAttribute("x2", N(width)), new XAttribute("y2", N(Top))));
            svg.Add(Text("tick", Left - 6, Top + 4, "end", max.ToString(CultureInfo.InvariantCulture)));
        }

        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / 12.0));
        for (var i = 0; i < labels.Count; i++)
        {
            // The group's bars centred in its share of the width.
            var x0 = Left + GroupGap + (i * groupWidth) + ((groupWidth - GroupGap - (series.Count * barWidth)) / 2);
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[i];
                var h = BarHeight(value, max);
                svg.Add(new XElement(Svg + "rect",
                    new XAttribute("class", $"bar {series[s].CssClass}"),
                    new XAttribute("x", N(x0 + (s * barWidth))),
                    new XAttribute("y", N(baseline - h)),
                    new XAttribute("width", N(barWidth - 1)),
                    new XAttribute("height", N(h)),
                    new XAttribute("data-label", labels[i]),
                    new XAttribute("data-value", value.ToString(CultureInfo.InvariantCulture)),
                    new XElement(Svg + "title", $"{labels[i]}: {value.ToString(CultureInfo.InvariantCulture)} {series[s].Name}")));
            }
            if (i % every == 0) svg.Add(Text("label", x0 + (series.Count * barWidth / 2), baseline + 16, "middle", labels[i]));
        }

        // The legend, under the labels, when there is more than one series to tell apart.
        if (series.Count > 1)
        {
            var x = Left;
            foreach (var s in series)
            {
                svg.Add(new XElement(Svg + "rect", new XAttribute("class", $"swatch {s.CssClass}"),
                    new XAttribute("x", N(x)), new XAttribute("y", N(height - 14)), new XAttribute("width", "10"), new XAttribute("height", "10")));
                svg.Add(Text("legend", x + 14, height - 5, "start", s.Name));
                x += 24 + (s.Name.Length * 7);
            }
        }
        return new HtmlString(svg.ToString(SaveOptions.DisableFormatting));
    }

    private static XElement Text(string cssClass, double x, double y, string anchor, string text) =>
        new(Svg + "text", new XAttribute("class", cssClass), new XAttribute("x", N(x)), new XAttribute("y", N(y)),
            new XAttribute("text-anchor", anchor), text);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
