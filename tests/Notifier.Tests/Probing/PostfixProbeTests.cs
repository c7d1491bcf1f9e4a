using Notifier.Probing;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Probing;

/// <summary>The probe against real Postfix instances on loopback, each configured as an operator might have it.</summary>
[Collection(LabCollection.Name)]
public sealed class PostfixProbeTests(Notifier.Tests.Lab.Lab lab)
{
    private Task<ProbeResult> ProbeAsync(string instance, ProbeMode mode = ProbeMode.Quick) =>
        Probe().ProbeAsync(Request(instance, mode), CancellationToken.None);

    private RelayProbe Probe() => ProbeHarness.Create(ProbeHarness.Options(o =>
    {
        o.CanaryDomain = lab.CanaryDomain;
        o.ReplyTimeout = TimeSpan.FromSeconds(10);
    }));

    private ProbeRequest Request(string instance, ProbeMode mode)
    {
        var ep = lab.EndPoint(instance);
        return new ProbeRequest { Host = ep.Address.ToString(), Port = ep.Port, Mode = mode };
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

    [Fact]
    public async Task Probe_RcptAcceptedAndNothingDelivered_WhenRcptOnlyAgainstAnOpenRelay()
    {
        var r = await ProbeAsync("OPEN", ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.RcptAccepted == r.Verdict, r.Reason);
        Assert.Equal(ProbeMode.RcptOnly, r.Mode);
        Assert.Equal(["plain"], r.AcceptedVariants);
        Assert.DoesNotContain(r.Transcript, l => l.Line == "DATA");
        Assert.Contains(r.Transcript, l => l.Dir == "->" && l.Line == "QUIT");
        Assert.Null(r.MessageId);
        // Postfix queues nothing without DATA; a few seconds is far longer than the open relay takes to deliver.
        Assert.Null(await lab.WaitForSinkMessageAsync(r.Token, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Probe_Closed_WhenRcptOnlyAgainstAClosedPostfix()
    {
        var r = await ProbeAsync("CLOSED", ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.Closed == r.Verdict, r.Reason);
        Assert.DoesNotContain(r.Variants, v => v.Outcome == VariantOutcome.NotTried);
        Assert.DoesNotContain(r.Transcript, l => l.Line == "DATA");
    }

    [Fact]
    public async Task Probe_TempRefusedThenRcptAccepted_WhenRcptOnlyIsRetriedWithTheSameTokenAfterTheGreylistDelay()
    {
        var delay = TimeSpan.FromSeconds(int.Parse(lab["NOTIFIER_LAB_GREYLIST_DELAY"], System.Globalization.CultureInfo.InvariantCulture));
        var probe = Probe();
        var request = Request("GREYLIST", ProbeMode.RcptOnly) with { Variants = ["plain"] };

        var first = await probe.ProbeAsync(request, CancellationToken.None);
        Assert.True(ProbeVerdict.TempRefused == first.Verdict, first.Reason);
        await Task.Delay(delay + TimeSpan.FromSeconds(1));
        var retry = await probe.ProbeAsync(request with { ProbeKey = first.ProbeKey, Token = first.Token }, CancellationToken.None);

        Assert.True(ProbeVerdict.RcptAccepted == retry.Verdict, retry.Reason);
        Assert.Equal(first.Variants.Single().RcptTo, retry.Variants.Single().RcptTo);
        Assert.DoesNotContain(retry.Transcript, l => l.Line == "DATA");
    }
}
