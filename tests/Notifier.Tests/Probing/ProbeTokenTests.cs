using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class ProbeTokenTests
{
    private static readonly byte[] Key = Enumerable.Repeat((byte)7, 32).ToArray();
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_True_ForTheTargetItWasMadeFor()
    {
        var key = ProbeToken.NewProbeKey();
        var token = ProbeToken.Create(Key, key, "192.0.2.1:25", At);

        Assert.Equal(ProbeToken.Length, token.Length);
        Assert.True(ProbeToken.Verify(Key, token, "192.0.2.1:25"));
        Assert.True(ProbeToken.Verify(Key, token.ToUpperInvariant(), "192.0.2.1:25"));
        Assert.True(ProbeToken.TryParse(token, out var parsedKey, out var issued));
        Assert.Equal(key, parsedKey);
        Assert.Equal(At, issued);
    }

    [Fact]
    public void Verify_False_WhenTamperedOrForAnotherTargetOrKey()
    {
        var token = ProbeToken.Create(Key, ProbeToken.NewProbeKey(), "192.0.2.1:25", At);
        var tampered = token[..^1] + (token[^1] == 'a' ? 'b' : 'a');

        Assert.False(ProbeToken.Verify(Key, tampered, "192.0.2.1:25"));
        Assert.False(ProbeToken.Verify(Key, token, "192.0.2.2:25"));
        Assert.False(ProbeToken.Verify(Enumerable.Repeat((byte)8, 32).ToArray(), token, "192.0.2.1:25"));
        Assert.False(ProbeToken.Verify(Key, "short", "192.0.2.1:25"));
    }
}
