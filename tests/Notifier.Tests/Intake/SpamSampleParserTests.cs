using System.Security.Cryptography;
using System.Text;
using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class SpamSampleParserTests
{
    private static readonly SpamSampleParser Parser = new(SampleFiles.Options(), SampleFiles.Desk, TargetPolicy.PublicOnly);

    private static SpamSampleResult ParseFile(string name, bool allowPrivateTargets = false) =>
        new SpamSampleParser(SampleFiles.Options(), SampleFiles.Desk, new TargetPolicy(allowPrivateTargets)).Parse(SampleFiles.Read(name));

    private static SpamSampleResult ParseText(string eml, TrustedReceivers? trusted = null, bool allowPrivateTargets = false) =>
        new SpamSampleParser(SampleFiles.Options(), trusted ?? SampleFiles.Desk, new TargetPolicy(allowPrivateTargets)).Parse(Encoding.UTF8.GetBytes(eml));

    [Fact]
    public void Parse_SuspectsExternalHop_WhenPostfixChainHasTwoTrustedHops()
    {
        var result = ParseFile("postfix-two-trusted-hops.eml");

        Assert.True(result.HasSuspect);
        Assert.Null(result.Problem);
        Assert.Null(result.Error);
        Assert.Equal("81.2.69.142:25", result.SuspectedRelay.CaseKey);
        Assert.Equal([HopRole.Trusted, HopRole.Trusted, HopRole.Suspect, HopRole.Unverified], result.Hops.Select(h => h.Role));
        Assert.Equal([1, 2, 3, 4], result.Hops.Select(h => h.Number));
        Assert.Equal([true, true, false, false], result.Hops.Select(h => h.IsTrusted));
        var suspect = result.Hops[2];
        Assert.Equal("mail.openrelay-victim.example", suspect.FromName);
        Assert.Equal("host-81-2-69-142.example.net", suspect.FromReverseDns);
        Assert.Equal("81.2.69.142", suspect.FromIp);
        Assert.Equal("mx2.abuse-desk.example", suspect.By);
        Assert.Equal("ESMTPS", suspect.With);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 5, TimeSpan.Zero), suspect.Date);
        Assert.Equal("10.20.0.12", result.Hops[0].FromIp);
        Assert.Equal("127.0.0.1", result.Hops[1].FromIp);
        Assert.Equal("45.90.12.7", result.Hops[3].FromIp);
        Assert.Contains("81.2.69.142", result.Summary, StringComparison.Ordinal);
        Assert.Contains("below 2 trusted hops", result.Summary, StringComparison.Ordinal);
        Assert.Contains("2026-03-03 10:15:05 UTC", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReturnsEvidenceHeaders_WhenMessageHasThem()
    {
        var bytes = SampleFiles.Read("postfix-two-trusted-hops.eml");
        var evidence = Parser.Parse(bytes).Evidence;

        Assert.NotNull(evidence);
        Assert.Equal("You have won 1,000,000 EUR - claim now", evidence.Subject);
        Assert.Equal("\"Prize Office\" <winner@prize-office.example>", evidence.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 11, 14, 58, TimeSpan.FromHours(1)), evidence.Date);
        Assert.Equal("20260303101458.77A1@WIN-7QK2B4", evidence.MessageId);
        Assert.Equal(bytes.Length, evidence.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), evidence.Sha256);
    }

    [Fact]
    public void Parse_DecodesEncodedSubject_WhenSubjectIsRfc2047()
    {
        var evidence = ParseFile("exchange-chain.eml").Evidence;
        Assert.Equal("Unpaid invoice – action required", evidence?.Subject);
    }

    [Fact]
    public void Parse_SuspectsEdgeClient_WhenExchangeChainPassesThroughEdgeAndHub()
    {
        var result = ParseFile("exchange-chain.eml");

        Assert.Equal("89.160.20.112:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal([HopRole.Trusted, HopRole.Trusted, HopRole.Suspect, HopRole.Unverified], result.Hops.Select(h => h.Role));
        Assert.Equal("10.30.2.5", result.Hops[2].ByIp);
        Assert.Equal("EDGE01.corp.abuse-desk.example", result.Hops[2].By);
        Assert.Equal("Microsoft SMTP Server", result.Hops[2].With);
        Assert.Equal("172.16.4.20", result.Hops[3].FromIp);
    }

    [Fact]
    public void Parse_SuspectsIpv6Relay_WhenChainIsIpv6()
    {
        var result = ParseFile("ipv6-chain.eml");

        Assert.Equal("[2a01:4f9:c010:1234::25]:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal([HopRole.Trusted, HopRole.Suspect], result.Hops.Select(h => h.Role));
        Assert.Equal("fd20:ab::25", result.Hops[0].FromIp);
        Assert.Equal("mail.ipv6-victim.example", result.Hops[1].FromName);
        Assert.Contains("below 1 trusted hop)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IgnoresForgedHeaders_WhenTheyAreBelowTheFirstUntrustedHop()
    {
        var result = ParseFile("forged-received-below-trusted.eml");

        // The spammer wrote headers 3 and 4 before connecting: one imitates our MX handing the message over
        // internally, one frames an innocent host as the sender. Both sit below the hop our MX really received.
        Assert.Equal("216.160.83.56:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal([HopRole.Trusted, HopRole.Suspect, HopRole.Unverified, HopRole.Unverified], result.Hops.Select(h => h.Role));
        Assert.Equal("10.20.0.11", result.Hops[2].FromIp);
        Assert.Equal("mx1.abuse-desk.example", result.Hops[2].By);
        Assert.Equal("89.160.20.112", result.Hops[3].FromIp);
        Assert.DoesNotContain("89.160.20.112", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Received: from mx1.abuse-desk.example (mx1.abuse-desk.example [10.20.0.11]) by mx1.abuse-desk.example (Postfix) with ESMTP id F; Fri, 6 Mar 2026 09:30:10 +0000\n")]
    [InlineData("Received: from x (unknown [10.20.0.99]) by mx1.abuse-desk.example; Fri, 6 Mar 2026 09:30:10 +0000\nReceived: from y (y [89.160.20.112]) by x; Fri, 6 Mar 2026 09:30:09 +0000\n")]
    [InlineData("Received: garbage without any structure\nReceived: by webmail.abuse-desk.example id 1; Fri, 6 Mar 2026 09:30:09 +0000\n")]
    [InlineData("Received: from [127.0.0.1] by mx1.abuse-desk.example\n")]
    public void Parse_KeepsTheSameSuspect_WhateverTheSenderWroteBelowTheUntrustedHop(string forged)
    {
        const string top =
            "Received: from mx1.abuse-desk.example (mx1.abuse-desk.example [10.20.0.11]) by store.abuse-desk.example (Postfix) with ESMTPS id A; Fri, 6 Mar 2026 09:30:12 +0000\n" +
            "Received: from relay.forged-victim.example (unknown [216.160.83.56]) by mx1.abuse-desk.example (Postfix) with ESMTP id B; Fri, 6 Mar 2026 09:30:11 +0000\n";
        var result = ParseText(top + forged + "Subject: s\n\nbody\n");

        Assert.Equal("216.160.83.56:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal([HopRole.Trusted, HopRole.Suspect], result.Hops.Take(2).Select(h => h.Role));
        Assert.All(result.Hops.Skip(2), h => Assert.Equal(HopRole.Unverified, h.Role));
    }

    [Fact]
    public void Parse_TrustsHopByReverseDnsName_WhenOnlyNamesAreConfigured()
    {
        var trusted = new TrustedReceivers(["mx1.abuse-desk.example"], []);
        var result = ParseText(
            "Received: from mx1.abuse-desk.example (mx1.abuse-desk.example [89.160.20.200]) by store.abuse-desk.example; Fri, 6 Mar 2026 09:30:12 +0000\n" +
            "Received: from relay.victim.example (unknown [216.160.83.56]) by mx1.abuse-desk.example; Fri, 6 Mar 2026 09:30:11 +0000\n\nbody\n", trusted);

        Assert.Equal("216.160.83.56:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal(HopRole.Trusted, result.Hops[0].Role);
    }

    [Fact]
    public void Parse_DoesNotTrustHeloName_WhenClientCallsItselfOurMx()
    {
        var trusted = new TrustedReceivers(["mx1.abuse-desk.example"], []);
        var result = ParseText(
            "Received: from mx1.abuse-desk.example (unknown [216.160.83.56]) by mx1.abuse-desk.example; Fri, 6 Mar 2026 09:30:11 +0000\n" +
            "Received: from innocent.example (innocent.example [89.160.20.112]) by mx1.abuse-desk.example; Fri, 6 Mar 2026 09:30:10 +0000\n\nbody\n", trusted);

        Assert.Equal("216.160.83.56:25", result.SuspectedRelay?.CaseKey);
        Assert.Equal("mx1.abuse-desk.example", result.Hops[0].FromName);
        Assert.Null(result.Hops[0].FromReverseDns);
    }

    [Fact]
    public void Parse_ReportsPrivateAddress_WhenOurOwnMxIsNotListedAsTrusted()
    {
        var result = new SpamSampleParser(SampleFiles.Options(), TrustedReceivers.None, TargetPolicy.PublicOnly).Parse(SampleFiles.Read("postfix-two-trusted-hops.eml"));

        // Without a trusted list, the first hop's client is our own MX at 10.20.0.12: private, so nothing is named.
        Assert.Equal(SampleProblem.PrivateAddress, result.Problem);
        Assert.Equal(HopRole.Untrusted, result.Hops[0].Role);
    }

    [Fact]
    public void Parse_ReportsAllHopsTrusted_WhenMessageWasSubmittedInside()
    {
        var result = ParseFile("internal-only.eml");

        Assert.False(result.HasSuspect);
        Assert.Equal(SampleProblem.AllHopsTrusted, result.Problem);
        Assert.Equal([HopRole.Trusted, HopRole.Trusted, HopRole.Local], result.Hops.Select(h => h.Role));
        Assert.Equal(new IntakeError("sample", result.Summary), result.Error);
    }

    [Fact]
    public void Parse_ReportsPrivateAddress_WhenFirstUntrustedHopIsPrivate()
    {
        var result = ParseFile("private-only.eml");

        Assert.Equal(SampleProblem.PrivateAddress, result.Problem);
        Assert.Equal([HopRole.Untrusted, HopRole.Unverified], result.Hops.Select(h => h.Role));
        Assert.Contains("192.168.1.20", result.Summary, StringComparison.Ordinal);
        Assert.Contains("private (RFC 1918)", result.Summary, StringComparison.Ordinal);
        Assert.Contains("Intake:TrustedReceivers:Networks", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SuspectsPrivateAddress_WhenPrivateTargetsAreAllowed()
    {
        var result = ParseFile("private-only.eml", allowPrivateTargets: true);

        Assert.Equal("192.168.1.20:25", result.SuspectedRelay?.CaseKey);
    }

    [Fact]
    public void Parse_SuspectsLoopback_WhenPrivateTargetsAreAllowedInALab()
    {
        var eml = "Received: from lab-relay (localhost [127.0.0.1]) by inbox.lab.example (Postfix) with ESMTP id L; Fri, 6 Mar 2026 09:30:11 +0000\n\nbody\n";

        Assert.Equal("127.0.0.1:25", ParseText(eml, TrustedReceivers.None, allowPrivateTargets: true).SuspectedRelay?.CaseKey);
        Assert.Equal(SampleProblem.AllHopsTrusted, ParseText(eml, TrustedReceivers.None).Problem);
    }

    [Fact]
    public void Parse_ReportsPrivateAddress_WhenSuspectIsDocumentationSpace()
    {
        var result = ParseText("Received: from x (unknown [2001:db8::25]) by mx1.abuse-desk.example; Fri, 6 Mar 2026 09:30:11 +0000\n\nbody\n");

        Assert.Equal(SampleProblem.PrivateAddress, result.Problem);
        Assert.Contains("documentation (RFC 3849)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsNoReceivedHeaders_WhenMessageHasNone()
    {
        var result = ParseFile("no-received.eml");

        Assert.Equal(SampleProblem.NoReceivedHeaders, result.Problem);
        Assert.Empty(result.Hops);
        Assert.Equal("Draft copy without trace headers", result.Evidence?.Subject);
        Assert.Equal("draft-42@prize-office.example", result.Evidence?.MessageId);
    }

    [Fact]
    public void Parse_ReportsMalformed_WhenFirstUntrustedHopNamesNoAddress()
    {
        var result = ParseFile("received-without-address.eml");

        Assert.Equal(SampleProblem.Malformed, result.Problem);
        Assert.Equal([HopRole.Trusted, HopRole.Untrusted, HopRole.Unverified], result.Hops.Select(h => h.Role));
        Assert.Contains("Received header 2", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("89.160.20.112", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsMalformed_WhenFileIsNotAMessage()
    {
        var result = ParseFile("malformed.eml");

        Assert.Equal(SampleProblem.Malformed, result.Problem);
        Assert.Null(result.Evidence);
        Assert.Empty(result.Hops);
        Assert.Contains("not an e-mail message", result.Summary, StringComparison.Ordinal);
        Assert.Equal("sample", result.Error?.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t\n")]
    public void Parse_ReportsEmpty_WhenSampleHasNoContent(string text)
    {
        var result = ParseText(text);
        Assert.Equal(SampleProblem.Empty, result.Problem);
        Assert.Equal("is empty", result.Summary);
    }

    [Fact]
    public void Parse_ReportsTooLarge_WhenSampleExceedsLimit()
    {
        var parser = new SpamSampleParser(SampleFiles.Options(o => o.MaxSampleBytes = 100), SampleFiles.Desk, TargetPolicy.PublicOnly);

        var result = parser.Parse(SampleFiles.Read("postfix-two-trusted-hops.eml"));

        Assert.Equal(SampleProblem.TooLarge, result.Problem);
        Assert.Equal("is larger than 100 bytes (Intake:MaxSampleBytes)", result.Summary);
    }

    [Fact]
    public async Task ParseAsync_ReportsTooLarge_WhenStreamIsLongerThanLimitAndNotSeekable()
    {
        var parser = new SpamSampleParser(SampleFiles.Options(o => o.MaxSampleBytes = 1024), SampleFiles.Desk, TargetPolicy.PublicOnly);
        var huge = Encoding.ASCII.GetBytes("Subject: big\n\n" + new string('x', 1_000_000));

        var result = await parser.ParseAsync(new ForwardOnlyStream(huge));

        Assert.Equal(SampleProblem.TooLarge, result.Problem);
        Assert.Equal("is larger than 1 KB (Intake:MaxSampleBytes)", result.Summary);
    }

    [Fact]
    public async Task ParseAsync_ParsesFile_WhenReadFromAStream()
    {
        await using var file = File.OpenRead(SampleFiles.PathOf("exchange-chain.eml"));

        var result = await Parser.ParseAsync(file);

        Assert.Equal("89.160.20.112:25", result.SuspectedRelay?.CaseKey);
    }

    [Fact]
    public void Parse_DefaultsLimitToTenMegabytes_WhenNotConfigured()
    {
        Assert.Equal(10 * 1024 * 1024, new IntakeOptions().MaxSampleBytes);
        var justUnder = Encoding.ASCII.GetBytes("Subject: x\n\n" + new string('x', 10 * 1024 * 1024 - 12));
        Assert.Equal(SampleProblem.NoReceivedHeaders, Parser.Parse(justUnder).Problem);
        var over = new byte[10 * 1024 * 1024 + 1];
        Assert.Equal(SampleProblem.TooLarge, Parser.Parse(over).Problem);
    }
}
