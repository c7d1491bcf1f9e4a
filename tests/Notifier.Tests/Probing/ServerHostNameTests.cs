using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>The name a server gives itself, which the routed relay-test variants address.</summary>
public sealed class ServerHostNameTests
{
    [Theory]
    [InlineData("220 mail.example.test ESMTP Postfix", "mail.example.test")]
    [InlineData("250-MX.Example.Test. Hello probe", "mx.example.test")]
    [InlineData("220 192.0.2.1 ESMTP", null)]
    [InlineData("220 [192.0.2.1] ESMTP", null)]
    [InlineData("220 localhost ESMTP", null)]
    [InlineData("220", null)]
    public void From_GivesTheHostNameOrNull_ForTheFirstWordOfTheReply(string line, string? expected)
    {
        Assert.Equal(expected, ServerHostName.From(new SmtpReply(int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture), [line])));
    }
}
