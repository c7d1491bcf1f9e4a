using System.Text;
using MimeKit;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

public sealed class MessageTextTests
{
    [Fact]
    public void Of_DecodesEntitiesAndDropsStyleAndScript_WhenTheMessageIsHtmlOnly()
    {
        var message = new MimeMessage { Body = new TextPart("html") { Text = "<html><head><style>.unsubscribe{color:red}</style><script>var x = 1;</script></head><body><p>We&nbsp;fixed it &amp; thank you</p></body></html>" } };

        var text = MessageText.Of(message);

        Assert.Contains("We fixed it & thank you", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unsubscribe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("var x", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_JoinsFlowedLines_WhenThePartIsFormatFlowed()
    {
        var raw = "From: a@example.org\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\nWe have removed the open \r\nrelay today.\r\n";
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));

        Assert.Contains("We have removed the open relay today.", MessageText.Of(message), StringComparison.Ordinal);
    }
}
