using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>How temp-refused probes are retried: with the same envelope, when the server says, a bounded number of times.</summary>
public sealed class GreylistRetryWorkflowTests
{
    private static readonly CasesOptions Options = new() { MaxProbeAttempts = 6, MaxGreylistRetries = 2, GreylistRetryDelay = TimeSpan.FromMinutes(5) };

    private static ProbeResult TempRefused(DateTimeOffset at, string rcptReply) => new()
    {
        Target = "198.51.100.7:25",
        Host = "198.51.100.7",
        Address = "198.51.100.7",
        Port = 25,
        ProbeKey = "aaaaaaaaaaaaaaaa",
        Verdict = ProbeVerdict.TempRefused,
        Reason = "deferred",
        Mode = ProbeMode.Quick,
        Token = "aaaaaaaaaaaaaaaa" + new string('b', 24),
        CanaryAddress = "relaytest+x@canary.test",
        StartedAt = at,
        FinishedAt = at,
        Variants = [new VariantResult("plain", VariantClass.Direct, "relaytest@canary.test", "relaytest+x@canary.test", "250 2.1.0 Ok", rcptReply, false, VariantOutcome.Temporary, 1)],
    };

    [Fact]
    public void ProbeFinished_RetriesWithTheSameKeyAndToken_AfterTheWaitTheServerNames()
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var first = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        CaseWorkflow.ProbeFinished(c, first, TempRefused(now, "450 4.7.1 <x>: Recipient address rejected: Greylisted, please try again in 90 seconds"), Options, now);

        Assert.Equal((CaseState.Deferred, CaseAction.RetryProbe, now.AddSeconds(90)), (c.State, c.NextAction, c.NextActionAt));
        var retry = CaseWorkflow.QueueProbeRetry(c, first, now.AddSeconds(90));
        Assert.Equal((first.Key, first.Token, first.Id, 1), (retry.Key, retry.Token, retry.RetryOfProbeId, retry.EnvelopeRetry));
    }

    [Fact]
    public void ProbeFinished_FallsBackToBackoffWithAFreshProbe_AfterMaxGreylistRetries()
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        var waits = new List<TimeSpan>();
        for (var i = 0; i <= Options.MaxGreylistRetries; i++)
        {
            CaseWorkflow.ProbeFinished(c, probe, TempRefused(now, "450 4.2.0 <x>: Recipient address rejected: Greylisted"), Options, now);
            waits.Add(c.NextActionAt!.Value - now);
            if (c.NextAction != CaseAction.RetryProbe) break;
            now = c.NextActionAt.Value;
            probe = CaseWorkflow.QueueProbeRetry(c, probe, now);
        }

        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), CaseWorkflow.RetryDelay(3, Options)], waits);
        Assert.Equal(CaseAction.Probe, c.NextAction);
        Assert.Equal(3, c.Probes.Count);
    }
}
