using Notifier.Probing;
using Notifier.Tests.Probing;

namespace Notifier.Tests.Lab;

/// <summary>The lab's switch relay, which the retest tests "fix" and open again, probed as the service probes it.</summary>
[Collection(LabCollection.Name)]
public sealed class SwitchRelayTests(Lab lab)
{
    private Task<ProbeResult> RcptOnlyProbeAsync()
    {
        var ep = lab.EndPoint("SWITCH");
        var probe = ProbeHarness.Create(ProbeHarness.Options(o => o.CanaryDomain = lab.CanaryDomain));
        return probe.ProbeAsync(new ProbeRequest { Host = ep.Address.ToString(), Port = ep.Port, Mode = ProbeMode.RcptOnly }, CancellationToken.None);
    }

    [Fact]
    public async Task SwitchRelay_RefusesRelayingThenRelaysAgain_WhenSwitchedClosedThenOpen()
    {
        try
        {
            Assert.Equal(ProbeVerdict.RcptAccepted, (await RcptOnlyProbeAsync()).Verdict);

            lab.SwitchRelay(Lab.Closed);
            var closed = await RcptOnlyProbeAsync();
            Assert.Equal(ProbeVerdict.Closed, closed.Verdict);
            Assert.Contains(closed.Variants, v => v.RcptReply?.StartsWith("554 5.7.1", StringComparison.Ordinal) == true);
            Assert.All(closed.Variants, v => Assert.False(v.Accepted));

            lab.SwitchRelay(Lab.Open);
            var open = await RcptOnlyProbeAsync();
            Assert.Equal(ProbeVerdict.RcptAccepted, open.Verdict);
            Assert.Equal("Postfix", open.Mta);
        }
        finally
        {
            lab.SwitchRelay(Lab.Open);
        }
    }

    [Fact]
    public void SwitchRelay_FailsWithTheReason_WhenTheSettingIsUnknown()
    {
        var e = Assert.Throws<InvalidOperationException>(() => lab.SwitchRelay("half-open"));

        Assert.Contains("relay setting must be open or closed, not 'half-open'", e.Message, StringComparison.Ordinal);
    }
}
