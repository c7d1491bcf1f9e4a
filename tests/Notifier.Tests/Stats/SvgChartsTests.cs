using System.Xml.Linq;
using Notifier.Stats;

namespace Notifier.Tests.Stats;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Render(IReadOnlyList<string> labels, params ChartSeries[] series) =>
        XElement.Parse(SvgCharts.Bars("c", "A title", labels, series).ToString()!);

    [Fact]
    public void Bars_DrawsABarPerLabelAndSeries_WithTheLargestAtFullHeight()
    {
        var svg = Render(["a", "b", "c"], new ChartSeries("x", "bar-x", [4, 1, 0]), new ChartSeries("y", "bar-y", [2, 2, 2]));

        var bars = svg.Elements(Svg + "rect").Where(r => r.Attribute("data-value") is not null).ToList();
        Assert.Equal(6, bars.Count);
        Assert.Equal([160.0, 40, 0], bars.Where(b => ((string)b.Attribute("class")!).Contains("bar-x", StringComparison.Ordinal)).Select(b => (double)b.Attribute("height")!));
        Assert.Equal([80.0, 80, 80], bars.Where(b => ((string)b.Attribute("class")!).Contains("bar-y", StringComparison.Ordinal)).Select(b => (double)b.Attribute("height")!));
        // Every bar stands on the same baseline.
        Assert.Single(bars.Select(b => (double)b.Attribute("y")! + (double)b.Attribute("height")!).Distinct());
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("A title", svg.Element(Svg + "title")?.Value);
    }

    [Fact]
    public void Bars_EncodesLabels_SoThatTheyCannotBecomeMarkup()
    {
        var markup = SvgCharts.Bars("c", "<b>t</b>", ["<script>alert(1)</script>"], [new ChartSeries("\"><x", "bar-x", [1])]).ToString()!;

        Assert.DoesNotContain("<script>", markup, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", markup, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Bars_DrawsFlatBars_WhenEveryValueIsZero()
    {
        var svg = Render(["a", "b"], new ChartSeries("x", "bar-x", [0, 0]));

        Assert.All(svg.Elements(Svg + "rect").Where(r => r.Attribute("data-value") is not null), r => Assert.Equal(0.0, (double)r.Attribute("height")!));
    }
}
