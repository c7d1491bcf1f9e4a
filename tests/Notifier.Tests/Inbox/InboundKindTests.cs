using MimeKit;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

/// <summary>What a message is, decided without a database.</summary>
public sealed class InboundKindTests
{
    private static readonly InboxOptions Options = new() { TrustedReceivers = ["mx.desk.test"], MaxMessageBytes = 4096 };

    private static MimeMessage Load(string fixture) =>
        MimeMessage.Load(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", fixture));

    [Fact]
    public void Of_ReturnsPersonalMailWithIntentAndVouchedDomain_WhenHumanOptOut()
    {
        var kind = InboundKind.Of(Load("reply-opt-out.eml"), 500, Options);

        var mail = Assert.IsType<InboundKind.PersonalMail>(kind);
        Assert.Equal(ReplyIntent.OptOut, mail.Intent);
        Assert.Contains(mail.Authenticated, p => p is { Method: "dkim", Domain: "small-biz.example", Receiver: "mx.desk.test" });
    }

    [Theory]
    [InlineData("vacation.eml", typeof(InboundKind.AutoReply))]
    [InlineData("qmail-bounce.eml", typeof(InboundKind.Bounce))]
    [InlineData("reply-fixed.eml", typeof(InboundKind.PersonalMail))]
    public void Of_ReturnsTheKind_ForEachFixture(string fixture, Type expected)
    {
        Assert.IsType(expected, InboundKind.Of(Load(fixture), 500, Options));
    }

    [Fact]
    public void Of_ReturnsTooLarge_WhenCutAtTheLimit()
    {
        Assert.Equal(new InboundKind.TooLarge(4096), InboundKind.Of(Load("reply-opt-out.eml"), 4096, Options));
    }

    [Fact]
    public void Of_ReturnsCanary_WhenTokenHeaderIsPresent()
    {
        var m = Load("reply-other.eml");
        m.Headers.Add(Notifier.Probing.TestMessage.TokenHeader, "ABC123");

        Assert.Equal(new InboundKind.Canary("abc123"), InboundKind.Of(m, 500, Options));
    }
}
