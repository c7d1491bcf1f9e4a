using Notifier.Probing;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Probing;

/// <summary>The probe against real Postfix instances on loopback, each configured as an operator might have it.</summary>
[Collection(LabCollection.Name)]
public sealed class PostfixProbeTests(Notifier.Tests.Lab.Lab lab)
{
    private Task<ProbeResult> ProbeAsync(string instance, ProbeMode mode = ProbeMode.Quick)
    {
        var ep = lab.EndPoint(instance);
        var probe = ProbeHarness.Create(ProbeHarness.Options(o =>
        {
            o.CanaryDomain = lab.CanaryDomain;
            o.ReplyTimeout = TimeSpan.FromSeconds(10);
        }));
        return probe.ProbeAsync(new ProbeRequest { Host = ep.Address.ToString(), Port = ep.Port, Mode = mode }, CancellationToken.None);
    }

    [Fact]
    public async Task Probe_DataAccepted_AndCanaryReachesSink_WhenPostfixIsAnOpenRelay()
    {
        var r = await ProbeAsync("OPEN");

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal("Postfix", r.Mta);
        Assert.Equal("plain", r.DataVariant);
        var arrived = await lab.WaitForSinkMessageAsync(r.Token, TimeSpan.FromSeconds(30));
        Assert.NotNull(arrived);
        Assert.Contains($"{TestMessage.TokenHeader}: {r.Token}", arrived);
        Assert.Contains($"Relay test token: {r.Token}", arrived);
        var token = arrived!.Split('\n').First(l => l.StartsWith(TestMessage.TokenHeader, StringComparison.Ordinal))[(TestMessage.TokenHeader.Length + 2)..].Trim();
        Assert.True(ProbeToken.Verify(ProbeHarness.TestKey.Bytes, token, r.Target));
    }

    [Fact]
    public async Task Probe_Closed_WithEveryVariantTried_WhenPostfixIsClosed()
    {
        var r = await ProbeAsync("CLOSED", ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.Equal("Postfix", r.Mta);
        Assert.True(r.Variants.Count >= 20);
        Assert.All(r.Variants, v => Assert.False(v.Accepted));
        Assert.DoesNotContain(r.Variants, v => v.Outcome == VariantOutcome.NotTried);
        // Sessions were rotated before Postfix's smtpd_soft_error_limit (10) began to slow every reply.
        Assert.All(r.Variants.GroupBy(v => v.Session), g => Assert.True(g.Count() < 10));
    }

    [Fact]
    public async Task Probe_AcceptsOnlyThePercentHack_WhenPostfixRelaysPercentForms()
    {
        var r = await ProbeAsync("PERCENT");

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.StartsWith("percent", r.DataVariant, StringComparison.Ordinal);
        Assert.Equal(VariantClass.Routed, r.AcceptedClass);
        Assert.All(r.Variants.Where(v => v.Class == VariantClass.Direct), v => Assert.False(v.Accepted));
        Assert.NotNull(await lab.WaitForSinkMessageAsync(r.Token, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Probe_FindsPartialRelay_FromTheBannerHostNameAlone()
    {
        var r = await ProbeAsync("PARTIAL");

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal("mail.hosted.test", r.HostName);
        Assert.Equal("sender-own-domain-postmaster:hosted.test", r.DataVariant);
        Assert.NotNull(await lab.WaitForSinkMessageAsync(r.Token, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Probe_NegotiatesTls_WhenPostfixRequiresStartTls()
    {
        var r = await ProbeAsync("STARTTLS");

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.NotNull(r.Tls?.Protocol);
        Assert.Contains("mail.tls.test", r.Tls!.CertificateSubject);
        Assert.Contains(r.Transcript, l => l.Dir == TranscriptLine.SentTls && l.Line.StartsWith("RCPT TO:", StringComparison.Ordinal));
        Assert.NotNull(await lab.WaitForSinkMessageAsync(r.Token, TimeSpan.FromSeconds(30)));
    }
}
