using System.Net;
using Microsoft.Extensions.Time.Testing;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>
/// The throttle alone on a fake clock: probes of one /24 (IPv6 /64) start one <c>MinIntervalPerNetwork</c> apart,
/// other networks do not wait, a target is refused within its own interval, and the per-key limiters are dropped
/// once idle and past their interval. Addresses are documentation ranges; no traffic is sent.
/// </summary>
public sealed class ProbeThrottleTests
{
    private static readonly TimeSpan NetworkInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TargetInterval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero));

    private ProbeThrottle Throttle(Action<ProbingOptions>? change = null) =>
        new(Microsoft.Extensions.Options.Options.Create(ProbeHarness.Options(o =>
        {
            o.MinIntervalPerNetwork = NetworkInterval;
            o.MinIntervalPerTarget = TargetInterval;
            o.MaxConcurrentPerNetwork = 4;
            o.MaxThrottleWait = TimeSpan.FromSeconds(5);
            change?.Invoke(o);
        })), _time);

    private static IPEndPoint At(string address) => new(IPAddress.Parse(address), 25);

    private static async Task ProbeOnceAsync(ProbeThrottle throttle, string address) =>
        await (await throttle.EnterAsync(At(address), CancellationToken.None)).DisposeAsync();

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.11")]
    [InlineData("2001:db8::1", "2001:db8::ffff:2")]
    public async Task EnterAsync_WaitsForTheNetworkInterval_WhenAnotherHostOfTheNetworkWasJustProbed(string first, string neighbour)
    {
        using var throttle = Throttle();
        await ProbeOnceAsync(throttle, first);

        var second = throttle.EnterAsync(At(neighbour), CancellationToken.None);
        var beforeInterval = second.IsCompleted;
        _time.Advance(NetworkInterval - TimeSpan.FromSeconds(1));
        var oneSecondBefore = second.IsCompleted;
        _time.Advance(TimeSpan.FromSeconds(1));
        await using var turn = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(beforeInterval);
        Assert.False(oneSecondBefore);
    }

    [Theory]
    [InlineData("192.0.2.10", "198.51.100.10")]
    [InlineData("192.0.2.10", "192.0.3.10")]
    [InlineData("2001:db8::1", "2001:db8:0:1::1")]
    public async Task EnterAsync_DoesNotWait_WhenTheOtherTargetIsInAnotherNetwork(string first, string other)
    {
        using var throttle = Throttle();
        await ProbeOnceAsync(throttle, first);

        var second = throttle.EnterAsync(At(other), CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully);
        await (await second).DisposeAsync();
    }

    [Fact]
    public async Task EnterAsync_GivesProbesWaitingTogether_SlotsOneIntervalApart()
    {
        using var throttle = Throttle();
        await using (await throttle.EnterAsync(At("192.0.2.1"), CancellationToken.None))
        {
            var b = throttle.EnterAsync(At("192.0.2.2"), CancellationToken.None);
            var c = throttle.EnterAsync(At("192.0.2.3"), CancellationToken.None);

            _time.Advance(NetworkInterval);
            await using var turnB = await b.WaitAsync(TimeSpan.FromSeconds(30));
            var cAfterOneInterval = c.IsCompleted;
            _time.Advance(NetworkInterval);
            await using var turnC = await c.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.False(cAfterOneInterval);
        }
    }

    [Fact]
    public async Task EnterAsync_RefusesWithTheNextAllowedTime_WhenTheSameTargetWasProbedWithinItsInterval()
    {
        using var throttle = Throttle();
        var first = _time.GetUtcNow();
        await ProbeOnceAsync(throttle, "192.0.2.10");
        _time.Advance(TimeSpan.FromSeconds(20));

        var e = await Assert.ThrowsAsync<ProbeThrottledException>(() => throttle.EnterAsync(At("192.0.2.10"), CancellationToken.None));

        Assert.Equal(first + TargetInterval, e.RetryAt);
        Assert.Contains("192.0.2.10:25 was probed at 04:00:00 UTC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAsync_RefusesASecondDialogue_WhileTheTargetIsProbed()
    {
        using var throttle = Throttle(o => o.MinIntervalPerTarget = TimeSpan.Zero);
        await using var running = await throttle.EnterAsync(At("192.0.2.10"), CancellationToken.None);

        var second = throttle.EnterAsync(At("192.0.2.10"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        var e = await Assert.ThrowsAsync<ProbeThrottledException>(() => second.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("another probe of 192.0.2.10:25 is still running", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAsync_DropsIdlePartitions_OnceTheirIntervalHasPassed()
    {
        using var throttle = Throttle();
        // 300 targets, each alone in its /24: none waits for another.
        for (var i = 0; i < 300; i++) await ProbeOnceAsync(throttle, $"10.{i / 256}.{i % 256}.1");
        var withinInterval = (throttle.TargetPartitions, throttle.NetworkPartitions);

        _time.Advance(TargetInterval);
        await using var next = await throttle.EnterAsync(At("192.0.2.10"), CancellationToken.None);

        Assert.Equal((300, 300), withinInterval);
        Assert.Equal((1, 1), (throttle.TargetPartitions, throttle.NetworkPartitions));
    }

    [Fact]
    public async Task EnterAsync_KeepsNoPartition_WhenNoIntervalIsConfigured()
    {
        using var throttle = Throttle(o => { o.MinIntervalPerTarget = TimeSpan.Zero; o.MinIntervalPerNetwork = TimeSpan.Zero; });
        var running = await throttle.EnterAsync(At("192.0.2.10"), CancellationToken.None);
        var whileRunning = (throttle.TargetPartitions, throttle.NetworkPartitions);

        await running.DisposeAsync();

        Assert.Equal((1, 1), whileRunning);
        Assert.Equal((0, 0), (throttle.TargetPartitions, throttle.NetworkPartitions));
    }
}
