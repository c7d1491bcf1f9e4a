using Notifier.Probing;
using Notifier.Tests.Inbox;

namespace Notifier.Tests.Probing;

public sealed class VerpAddressTests
{
    private static readonly byte[] Key = VerpAddress.KeyFrom(ProbeTokenKey.FromBase64(InboxHarness.TokenKey));

    [Fact]
    public void Verify_ReturnsTheTag_WhenTheAddressWasFormattedWithOurKey()
    {
        var address = new VerpAddress(VerpAddress.Notice, 4711, "Desk.Test").Format(Key);

        Assert.Matches("^bounces\\+n4711-[0-9a-f]{16}@desk\\.test$", address);
        Assert.Equal(new VerpAddress(VerpAddress.Notice, 4711, "desk.test"), VerpAddress.Verify(address, Key));
        // Some MTAs fold the case of the local part.
        Assert.NotNull(VerpAddress.Verify(address.ToUpperInvariant(), Key));
    }

    [Theory]
    [InlineData("other.test")]
    [InlineData(null)]
    public void Verify_ReturnsNull_WhenTheDomainIdOrKeyDiffers(string? domain)
    {
        var address = new VerpAddress(VerpAddress.TestMessage, 7, "desk.test").Format(Key);

        var forged = domain is null ? address.Replace("+t7-", "+t8-", StringComparison.Ordinal) : address.Replace("desk.test", domain, StringComparison.Ordinal);

        Assert.Null(VerpAddress.Verify(forged, Key));
        Assert.Null(VerpAddress.Verify(address, VerpAddress.KeyFrom(ProbeTokenKey.Ephemeral())));
    }
}
