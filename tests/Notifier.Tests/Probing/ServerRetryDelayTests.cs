using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class ServerRetryDelayTests
{
    [Theory]
    [InlineData("450 4.7.1 <a@b>: Recipient address rejected: Greylisted, please try again in 300 seconds", 300)]
    [InlineData("451 4.7.1 Try again in 5 minutes", 300)]
    [InlineData("450 4.2.0 Greylisted for 60 seconds", 60)]
    [InlineData("451 4.7.1 Please retry after 45s", 45)]
    public void From_ReadsTheWait_WhenTheReplyNamesOne(string reply, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ServerRetryDelay.From([reply]));

    [Theory]
    [InlineData("450 4.2.0 <a@b>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.html")]
    [InlineData("451 4.3.0 Try again later")]
    [InlineData("554 5.7.1 Relay access denied, try again in 300 seconds")]
    [InlineData(null)]
    public void From_IsNull_WhenTheReplyNamesNoWaitOrIsNotTemporary(string? reply) =>
        Assert.Null(ServerRetryDelay.From([reply]));
}
