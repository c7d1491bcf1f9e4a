using Notifier.Intake;

namespace Notifier.Tests.Intake;

public sealed class FreeTextTests
{
    [Fact]
    public void Summarize_JoinsLinesAndCutsWithAnEllipsis_WhenTextIsLongWithControls()
    {
        var text = "a\0b\r\n\tc " + new string('x', 50);

        var s = FreeText.Summarize(text, 10);

        Assert.Equal("a b c xxx…", s);
    }

    [Fact]
    public void Summarize_KeepsTextAsIs_WhenItFits()
    {
        Assert.Equal("Unpaid invoice", FreeText.Summarize("  Unpaid invoice ", 14));
        Assert.Null(FreeText.Summarize(" \0 ", 10));
    }

    [Fact]
    public void Summarize_NeverSplitsASurrogatePair_WhenCutting()
    {
        var s = FreeText.Summarize("abc😀def", 5);

        Assert.Equal("abc…", s);
    }

    [Theory]
    [InlineData("ok\ttab", true)]
    [InlineData("bell\a", false)]
    [InlineData("two\nlines", false)]
    public void Check_RefusesControlCharacters_ButNotTabs(string value, bool valid)
    {
        string? v = value;

        var error = FreeText.Check("reason", ref v, 100, allowLineBreaks: false);

        Assert.Equal(valid, error is null);
        if (!valid) Assert.Equal("reason", error!.Field);
    }
}
