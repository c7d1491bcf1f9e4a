using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

public sealed class ReplyIntentTests
{
    [Theory]
    [InlineData("We closed the relay yesterday.", ReplyIntent.Fixed)]
    [InlineData("The issue has been resolved.", ReplyIntent.Fixed)]
    [InlineData("That host is not an open relay.", ReplyIntent.FalsePositive)]
    [InlineData("Please contact your hosting provider, not us.", ReplyIntent.WrongContact)]
    [InlineData("Unsubscribe", ReplyIntent.OptOut)]
    [InlineData("You are scammers.", ReplyIntent.Abusive)]
    [InlineData("Thanks, we are looking into it.", ReplyIntent.Other)]
    public void Classify_ReturnsIntent_ForOwnText(string body, string intent) =>
        Assert.Equal(intent, ReplyIntent.Classify("Re: [NR-000001] Open mail relay", body).Intent);

    [Fact]
    public void Classify_IgnoresQuotedText_WhenOnlyTheQuoteMatches() =>
        Assert.Equal(ReplyIntent.Other, ReplyIntent.Classify("Re: x", "Which test?\n\n> Please remove me\n> it has been fixed").Intent);
}
