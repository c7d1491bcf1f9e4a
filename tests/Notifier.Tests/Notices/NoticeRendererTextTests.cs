using Notifier.Notices;

namespace Notifier.Tests.Notices;

public class NoticeRendererTextTests
{
    [Theory]
    [InlineData("mail.example.net\r\nBcc: x@example.org")]
    [InlineData("mail.example.net\nBcc: x@example.org")]
    [InlineData("mail.example.net\u0085Bcc: x@example.org")]
    [InlineData("mail.example.net\u2028Bcc: x@example.org")]
    public void Subject_IsOneLine_WhenWordsContainLineBreaks(string hostName)
    {
        var subject = NoticeRendererText.Subject("NR-000123", "Open mail relay at " + hostName);

        Assert.Equal("[NR-000123] Open mail relay at mail.example.net Bcc: x@example.org", subject);
    }

    [Fact]
    public void Subject_IsOneLine_WhenCaseReferenceContainsLineBreak()
    {
        Assert.Equal("[NR-000123 X-Evil: 1] words", NoticeRendererText.Subject("NR-000123\r\nX-Evil: 1", "words"));
    }

    [Fact]
    public void Finish_DecodesEntitiesAndKeepsHardSpaces_WhileCollapsingSourceWhitespace()
    {
        var rendered = "  Some   prose\n   across lines &amp; &lt;tag&gt;" + NoticeRendererText.LineBreak + NoticeRendererText.LineBreak
            + NoticeRendererText.Hard("    a  b") + NoticeRendererText.LineBreak;

        Assert.Equal("Some prose across lines & <tag>\n\n    a  b\n", NoticeRendererText.Finish(rendered));
    }

    [Fact]
    public void Finish_KeepsOneLine_WhenValueCarriesEncodedLineMark()
    {
        var rendered = "Relay-Host-Name: evil&#xE000;Bcc: x@example.org" + NoticeRendererText.LineBreak + "next";

        Assert.Equal("Relay-Host-Name: evil Bcc: x@example.org\nnext\n", NoticeRendererText.Finish(rendered));
    }

    [Fact]
    public void Finish_WrapsProseButNotHardLines()
    {
        var prose = string.Join(' ', Enumerable.Repeat("word", 40));
        var hard = NoticeRendererText.Hard(string.Join(' ', Enumerable.Repeat("fact", 40)));

        var lines = NoticeRendererText.Finish(prose + NoticeRendererText.LineBreak + hard).TrimEnd('\n').Split('\n');

        Assert.All(lines[..^1], l => Assert.True(l.Length <= NoticeRendererText.WrapColumn, l));
        Assert.Equal(string.Join(' ', Enumerable.Repeat("fact", 40)), lines[^1]);
    }
}
