using Microsoft.Extensions.Time.Testing;
using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>The case state machine lived through in fake time: retries, backoff, giving up, throttling.</summary>
public sealed class CaseWorkflowTests
{
    private static readonly CasesOptions Options = new() { MaxProbeAttempts = 4, RetryBaseDelay = TimeSpan.FromMinutes(15), RetryMaxDelay = TimeSpan.FromHours(1) };

    private static ProbeResult Result(string verdict, DateTimeOffset at) => new()
    {
        Target = "198.51.100.7:25",
        Host = "198.51.100.7",
        Address = "198.51.100.7",
        Port = 25,
        ProbeKey = "aaaaaaaaaaaaaaaa",
        Verdict = verdict,
        Reason = $"because {verdict}",
        Mode = ProbeMode.Quick,
        Token = new string('a', 40),
        CanaryAddress = "relaytest+x@canary.test",
        StartedAt = at,
        FinishedAt = at,
    };

    [Fact]
    public void ProbeFinished_KeepsTheLatestHostNameAndMta_WhenALaterProbeSawNone()
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var first = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        CaseWorkflow.ProbeFinished(c, first, Result(ProbeVerdict.TempRefused, now) with { HostName = "mx.example.net", Mta = "Postfix" }, Options, now);
        var second = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);

        CaseWorkflow.ProbeFinished(c, second, Result(ProbeVerdict.Unreachable, now) with { Mta = MtaFingerprint.Unknown }, Options, now);

        Assert.Equal("mx.example.net", c.HostName);
        Assert.Equal("Postfix", c.Mta);
        Assert.Equal(CaseAddressKey.Of("198.51.100.7"), c.AddressKey);
    }

    [Fact]
    public void ProbeFinished_RetriesWithDoublingBackoff_ThenGivesUp_WhenUnreachable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", "test", null, "test", time.GetUtcNow());
        var delays = new List<TimeSpan>();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal(CaseAction.Probe, c.NextAction);
            time.SetUtcNow(c.NextActionAt!.Value);
            var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, time.GetUtcNow());
            Assert.Equal(CaseState.Probing, c.State);
            time.Advance(TimeSpan.FromSeconds(10));
            CaseWorkflow.ProbeFinished(c, probe, Result(ProbeVerdict.Unreachable, time.GetUtcNow()), Options, time.GetUtcNow());
            if (c.NextActionAt is { } next) delays.Add(next - time.GetUtcNow());
        }

        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)], delays);
        Assert.Equal(CaseState.Unreachable, c.State);
        Assert.Null(c.NextAction);
        Assert.Equal(4, c.Probes.Count);
        Assert.Contains(c.Events, e => e.Summary.Contains("no more retries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ProbeVerdict.DataAccepted, CaseState.Suspected)]
    [InlineData(ProbeVerdict.RcptAccepted, CaseState.Suspected)]
    [InlineData(ProbeVerdict.Closed, CaseState.NotRelay)]
    [InlineData(ProbeVerdict.AuthRequired, CaseState.NotRelay)]
    [InlineData(ProbeVerdict.TempRefused, CaseState.Deferred)]
    [InlineData(ProbeVerdict.ProtocolError, CaseState.Deferred)]
    [InlineData(ProbeVerdict.Incomplete, CaseState.Deferred)]
    public void ProbeFinished_MovesCase_ByVerdict(string verdict, string state)
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);

        CaseWorkflow.ProbeFinished(c, probe, Result(verdict, now), Options, now);

        Assert.Equal(state, c.State);
        Assert.Equal(verdict, probe.Verdict);
        Assert.Equal(ProbeStatus.Done, probe.Status);
        Assert.NotNull(probe.ResultJson);
    }

    [Fact]
    public void ProbeThrottled_ReschedulesWithoutCountingAnAttempt()
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);

        CaseWorkflow.ProbeThrottled(c, probe, "probed recently", now.AddMinutes(1), now);

        Assert.Equal(0, c.ProbeAttempts);
        Assert.Equal(now.AddMinutes(1), c.NextActionAt);
        Assert.Equal(ProbeStatus.Skipped, probe.Status);
    }

    [Fact]
    public void Close_FreesTheRelayForANewCase_AndLaterProbesDoNotReopen()
    {
        var now = DateTimeOffset.UnixEpoch;
        var c = CaseWorkflow.Open("198.51.100.7", 25, "198.51.100.7:25", null, null, "test", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);

        CaseWorkflow.Close(c, "operator:ann", CloseReason.Other, "handled by phone", now);
        CaseWorkflow.ProbeFinished(c, probe, Result(ProbeVerdict.DataAccepted, now), Options, now);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Null(c.OpenRelayKey);
        Assert.Equal(ProbeVerdict.DataAccepted, probe.Verdict);
    }
}
