using System.Diagnostics;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class RelayProbeTests
{
    private static bool IsCanaryRcpt(string line) => line.StartsWith("RCPT TO:<relaytest+", StringComparison.Ordinal) && line.EndsWith("@canary.test>", StringComparison.Ordinal);

    [Fact]
    public async Task ProbeAsync_DataAccepted_WhenServerRelaysEverything()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal(["plain"], r.AcceptedVariants);
        Assert.Equal(VariantClass.Direct, r.AcceptedClass);
        Assert.Equal("Postfix", r.Mta);
        var message = Assert.Single(server.Messages);
        Assert.Contains($"X-Notifier-Relay-Token: {r.Token}", message);
        Assert.Contains($"Relay test token: {r.Token}", message);
        Assert.Equal($"relaytest+{r.Token}@canary.test", r.CanaryAddress);
        Assert.True(ProbeToken.Verify(ProbeHarness.TestKey.Bytes, r.Token, r.Target));
        Assert.Contains(r.Transcript, l => l.Dir == "->" && l.Line == "DATA");
        Assert.Contains(r.Transcript, l => l.Dir == "<-" && l.Line.StartsWith("250 2.0.0 Ok: queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_HandsEveryTranscriptLineToTheCallbackAsItIsWritten_WhenOneIsGiven()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);
        var seen = new List<TranscriptLine>();

        var r = await ProbeHarness.Create().ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.RcptOnly, LineWritten = seen.Add }, CancellationToken.None);

        // The owner page's live view shows exactly the evidence that is stored, line for line and in order.
        Assert.NotEmpty(seen);
        Assert.Equal(r.Transcript, seen);
        Assert.Contains(seen, l => l.Dir == TranscriptLine.Sent && IsCanaryRcpt(l.Line));
    }

    [Fact]
    public async Task ProbeAsync_SendsOurOwnSenderVariantsFromTheReturnPath_AndLeavesTheOthersAsTheyWere_WhenOneIsGiven()
    {
        const string returnPath = "bounces+p42-0123456789abcdef@canary.test";
        await using var before = ScriptedSmtpServer.Replying((_, _) => null);
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);
        var probe = ProbeHarness.Create();
        var usual = await probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = before.Port, Mode = ProbeMode.Full }, CancellationToken.None);

        var r = await probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.Full, ReturnPath = returnPath }, CancellationToken.None);

        var senders = r.Variants.ToDictionary(v => v.Name, v => v.MailFrom);
        Assert.Equal(returnPath, senders["plain"]);
        Assert.Equal(returnPath, senders["percent-hack"]);
        var others = usual.Variants.Where(v => v.Name is not ("plain" or "percent-hack")).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, v => Assert.Equal(v.MailFrom, senders[v.Name]));
        Assert.Equal("relaytest@canary.test", usual.Variants.Single(v => v.Name == "plain").MailFrom);
        // The test message goes out from the return path; its From: header still names our plain sender.
        Assert.Equal("plain", r.DataVariant);
        Assert.Equal($"MAIL FROM:<{returnPath}>", server.Commands.Last(c => c.StartsWith("MAIL FROM", StringComparison.Ordinal)));
        Assert.Contains("From: Notifier tests <relaytest@canary.test>", Assert.Single(server.Messages), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bounces+p1-0123456789abcdef@elsewhere.test")]
    [InlineData("a@canary.test> SIZE=1\r\nRCPT TO:<x@victim.example")]
    public async Task ProbeAsync_RefusesTheRequest_WhenTheReturnPathIsNotOnePlainAddressInTheSenderDomain(string returnPath)
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() =>
            ProbeHarness.Create().ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = server.Port, ReturnPath = returnPath }, CancellationToken.None));

        Assert.Contains("return path", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task ProbeAsync_StopsAtFirstAcceptedRecipient_WhenQuick()
    {
        // Only the null sender gets through.
        await using var server2 = ScriptedSmtpServer.Replying((line, s) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) && s.MailFrom != "MAIL FROM:<>" ? "554 5.7.1 Relay access denied" : null);

        var r = await ProbeHarness.ProbeAsync(server2);

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal(["null-sender"], r.AcceptedVariants);
        Assert.Equal(2, r.Variants.Count(v => v.Outcome != VariantOutcome.NotTried));
        Assert.Single(server2.Messages);
    }

    [Fact]
    public async Task ProbeAsync_Closed_WhenEveryRecipientIsRefused()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 <x>: Relay access denied" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.True(r.Variants.Count >= 20, $"only {r.Variants.Count} variants");
        Assert.All(r.Variants, v => Assert.Equal(VariantOutcome.Refused, v.Outcome));
        Assert.Empty(server.Messages);
        Assert.DoesNotContain(server.Commands, c => c == "DATA");
    }

    [Fact]
    public async Task ProbeAsync_Closed_WhenPostfixDefersRelayWith454()
    {
        // Postfix's default smtpd_relay_restrictions end in defer_unauth_destination: a policy refusal, not a retry.
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "454 4.7.1 <x>: Relay access denied" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_TempRefused_WhenGreylisted()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "450 4.2.0 Greylisted, see https://postgrey.test" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.TempRefused, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_TempRefusedNotClosed_WhenGreylistedAndOddFormsRefusedOnSyntax()
    {
        // A greylisting relay defers every well-formed triple and rejects odd address forms on syntax at once:
        // the refusals say nothing about relaying, so the probe must be retried, not judged closed.
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            !line.StartsWith("RCPT", StringComparison.Ordinal) ? null
            : line.Contains('!', StringComparison.Ordinal) || line.Contains('"', StringComparison.Ordinal) ? "501 5.1.3 Bad recipient address syntax"
            : "450 4.2.0 Greylisted, see https://postgrey.test");

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.TempRefused, r.Verdict);
        Assert.Contains(r.Variants, v => v.Outcome == VariantOutcome.Refused);
        Assert.Contains("not judged closed", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_RecordsWeakerClass_WhenOnlyPercentHackIsAccepted()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? (line.Contains('%', StringComparison.Ordinal) ? "250 2.1.5 Ok" : "554 5.7.1 Relay access denied") : null);

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal("percent-hack", r.DataVariant);
        Assert.Equal(VariantClass.Routed, r.AcceptedClass);
        Assert.Contains("Only routed address forms", r.Reason);
        // Direct forms were all tried before the weaker ones.
        var firstRouted = r.Variants.ToList().FindIndex(v => v.Class == VariantClass.Routed);
        Assert.All(r.Variants.Take(firstRouted), v => Assert.NotEqual(VariantClass.Routed, v.Class));
    }

    [Fact]
    public async Task ProbeAsync_UsesSenderInTargetsOwnDomain_WhenPartiallyOpen()
    {
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
            line.StartsWith("RCPT", StringComparison.Ordinal)
                ? (s.MailFrom == "MAIL FROM:<postmaster@hosted.test>" ? "250 2.1.5 Ok" : "554 5.7.1 Relay access denied")
                : null,
            banner: "220 mail.hosted.test ESMTP");

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
        Assert.Equal("sender-own-domain-postmaster:hosted.test", r.DataVariant);
        Assert.Equal("mail.hosted.test", r.HostName);
    }

    [Fact]
    public async Task ProbeAsync_FallsBackToHelo_WhenEhloIsRefused()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("EHLO", StringComparison.Ordinal) ? "502 5.5.1 Command not implemented" : null, banner: "220 old.example.test SMTP qmail");

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.True(r.UsedHelo);
        Assert.Equal("qmail", r.Mta);
        Assert.Contains(server.Commands, c => c == "HELO prober.notifier.test");
        Assert.Equal(ProbeVerdict.DataAccepted, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_NegotiatesTls_WhenMailIsRefusedWith530ForWantOfStartTls()
    {
        // The server does not even advertise STARTTLS, but demands it: nmap reads this as "authentication needed".
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
            line.StartsWith("MAIL", StringComparison.Ordinal) && !s.Tls ? "530 5.7.0 Must issue a STARTTLS command first" : null);

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.True(ProbeVerdict.DataAccepted == r.Verdict, string.Join("\n", r.Transcript));
        Assert.NotNull(r.Tls);
        Assert.Equal("CN=mx.example.test", r.Tls!.CertificateSubject);
        Assert.Contains(r.Transcript, l => l.Dir == "~>" && l.Line == "DATA");
    }

    [Fact]
    public async Task ProbeAsync_NegotiatesTls_WhenStartTlsIsOffered()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null, ehlo: "250-mx.example.test\r\n250-STARTTLS\r\n250 8BITMIME");

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.True(r.Tls?.Protocol is not null, string.Join("\n", r.Transcript));
        Assert.Contains(server.Commands, c => c == "STARTTLS");
        Assert.Equal(2, server.Commands.Count(c => c.StartsWith("EHLO", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProbeAsync_AuthRequired_WhenEverySenderNeedsAuthentication()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("MAIL", StringComparison.Ordinal) ? "530 5.7.1 Client was not authenticated" : null, banner: "220 ex.example.test Microsoft ESMTP MAIL Service ready");

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.AuthRequired, r.Verdict);
        Assert.Equal("Microsoft Exchange", r.Mta);
    }

    [Fact]
    public async Task ProbeAsync_RcptAccepted_WhenDataIsRefused()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line == "DATA" ? "554 5.7.1 Relaying denied at DATA" : null);

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.RcptAccepted, r.Verdict);
        Assert.Equal("554 5.7.1 Relaying denied at DATA", r.DataReply);
    }

    [Fact]
    public async Task ProbeAsync_OpensFreshSessions_BeforeTheServersErrorLimit()
    {
        // Like Postfix: after 10 errors every reply is delayed by a second.
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
        {
            if (s.Errors >= 10) Thread.Sleep(1000);
            return line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 Relay access denied" : null;
        });

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.True(r.Sessions >= 3, $"{r.Sessions} sessions");
        Assert.All(r.Variants.GroupBy(v => v.Session), g => Assert.True(g.Count() <= 8));
        Assert.DoesNotContain(r.Transcript, l => l.Dir == "**");
    }

    [Fact]
    public async Task ProbeAsync_ReconnectsAndContinues_WhenServerDropsTheConnection()
    {
        // Drops the session after the third refused recipient.
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
        {
            if (!line.StartsWith("RCPT", StringComparison.Ordinal)) return null;
            return s.Errors >= 3 ? "<drop>" : "550 5.7.1 relay not permitted";
        }, banner: "220 exim.example.test ESMTP Exim 4.96");

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full, ProbeHarness.Options(o => o.MaxReconnects = 20));

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.Equal("Exim", r.Mta);
        Assert.True(r.Sessions > 2);
        Assert.True(r.Variants.Count(v => v.Outcome == VariantOutcome.Refused) >= 15);
    }

    [Fact]
    public async Task ProbeAsync_Unreachable_WhenNothingListens()
    {
        int port;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { l.Start(); port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port; }

        var r = await ProbeHarness.Create().ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = port }, CancellationToken.None);

        Assert.Equal(ProbeVerdict.Unreachable, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_ProtocolError_WhenServerNeverAnswers()
    {
        await using var server = new ScriptedSmtpServer(async peer => await Task.Delay(Timeout.Infinite, peer.Token));

        var watch = Stopwatch.StartNew();
        var r = await ProbeHarness.ProbeAsync(server, options: ProbeHarness.Options(o => o.ReplyTimeout = TimeSpan.FromMilliseconds(500)));

        Assert.Equal(ProbeVerdict.ProtocolError, r.Verdict);
        Assert.Contains("banner", r.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "a silent server held the probe");
    }

    [Fact]
    public async Task ProbeAsync_ProtocolError_WhenReplyIsHuge()
    {
        await using var server = new ScriptedSmtpServer(async peer =>
        {
            await peer.WriteAsync("220 big.example.test ESMTP\r\n");
            await peer.ReadLineAsync();
            var line = "250-" + new string('x', 1000) + "\r\n";
            for (var i = 0; i < 1100; i++) await peer.WriteAsync(line);
            await peer.WriteAsync("250 done\r\n");
        });

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.ProtocolError, r.Verdict);
        Assert.Contains("larger than", r.Reason);
    }

    [Fact]
    public async Task ProbeAsync_ProtocolError_WhenServerSendsGarbage()
    {
        await using var server = new ScriptedSmtpServer(async peer =>
        {
            await peer.WriteRawAsync([0x16, 0x03, 0x01, 0x00, 0xff, 0x1b, (byte)'[', (byte)'2', (byte)'J', (byte)'\n']);
            await Task.Delay(5000, peer.Token);
        });

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.ProtocolError, r.Verdict);
        Assert.Contains("not an SMTP reply", r.Reason);
        Assert.DoesNotContain(r.Transcript, l => l.Line.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_EndsInProtocolError_WhenServerDripsBytes()
    {
        await using var server = new ScriptedSmtpServer(async peer =>
        {
            foreach (var ch in "220 slow.example.test ESMTP tarpit, one byte per second")
            {
                await peer.WriteAsync(ch.ToString());
                await Task.Delay(1000, peer.Token);
            }
        });

        var r = await ProbeHarness.ProbeAsync(server, options: ProbeHarness.Options(o => o.ReplyTimeout = TimeSpan.FromSeconds(1)));

        Assert.Equal(ProbeVerdict.ProtocolError, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_TempRefused_WhenBannerIs421()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null, banner: "421 4.3.2 Too many connections, try later");

        var r = await ProbeHarness.ProbeAsync(server);

        Assert.Equal(ProbeVerdict.TempRefused, r.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_ProbesManyTargetsAtOnce_WhenCalledConcurrently()
    {
        var servers = Enumerable.Range(0, 50).Select(_ => new ScriptedSmtpServer(async peer =>
        {
            await Task.Delay(300, peer.Token);
            await peer.ServeAsync("220 slow.example.test ESMTP", "250 slow.example.test", (l, _) => l.StartsWith("RCPT", StringComparison.Ordinal) ? "550 5.7.1 Relay access denied" : null);
        })).ToList();
        try
        {
            var probe = ProbeHarness.Create();
            var results = await Task.WhenAll(servers.Select(s => probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = s.Port }, CancellationToken.None)));

            Assert.All(results, r => Assert.Equal(ProbeVerdict.Closed, r.Verdict));
            // Sessions overlapped: the servers saw many dialogues open together, not one after another.
            var overlapping = await CountOverlapping(results);
            Assert.True(overlapping >= 25, $"only {overlapping} probes overlapped");
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    private static Task<int> CountOverlapping(ProbeResult[] results)
    {
        var firstEnd = results.Min(r => r.FinishedAt);
        return Task.FromResult(results.Count(r => r.StartedAt < firstEnd));
    }

    [Fact]
    public async Task ProbeAsync_Refuses_WhenTargetIsPrivateAndNotAllowed()
    {
        var probe = ProbeHarness.Create(ProbeHarness.Options(o => o.AllowPrivateTargets = false));

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() =>
            probe.ProbeAsync(new ProbeRequest { Host = "192.168.1.10" }, CancellationToken.None));

        Assert.Contains("private", e.Message);
    }

    [Fact]
    public async Task SendTestMessageAsync_Refuses_WhenTokenWasMadeForAnotherTarget()
    {
        var probe = ProbeHarness.Create();
        var key = ProbeToken.NewProbeKey();
        var elsewhere = ProbeToken.Create(ProbeHarness.TestKey.Bytes, key, "127.0.0.1:2526", DateTimeOffset.UtcNow);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => probe.SendTestMessageAsync(
            new TestMessageRequest { Address = "127.0.0.1", Port = 2525, ProbeKey = key, Variant = "plain", Token = elsewhere }, CancellationToken.None));

        Assert.Contains("127.0.0.1:2525", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_Refuses_WhenRetryTokenBelongsToAnotherProbeKey()
    {
        var probe = ProbeHarness.Create();
        var other = ProbeToken.Create(ProbeHarness.TestKey.Bytes, ProbeToken.NewProbeKey(), "127.0.0.1:2525", DateTimeOffset.UtcNow);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => probe.ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = 2525, ProbeKey = ProbeToken.NewProbeKey(), Token = other }, CancellationToken.None));

        Assert.Contains("was not made", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_Throttles_WhenSameTargetIsProbedAgainTooSoon()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);
        var probe = ProbeHarness.Create(ProbeHarness.Options(o => { o.MinIntervalPerTarget = TimeSpan.FromMinutes(5); o.MaxThrottleWait = TimeSpan.Zero; }));
        await probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = server.Port }, CancellationToken.None);

        await Assert.ThrowsAsync<ProbeThrottledException>(() =>
            probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = server.Port }, CancellationToken.None));
    }

    [Fact]
    public async Task ProbeAsync_NeverNamesAThirdPartyDomain_InAnyRecipient()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "550 no" : null, banner: "220 mail.victim.test ESMTP");

        await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        var rcpts = server.Commands.Where(c => c.StartsWith("RCPT", StringComparison.Ordinal)).ToList();
        Assert.True(rcpts.Count >= 20);
        Assert.All(rcpts, c => Assert.Contains("canary.test", c));
        Assert.Contains(rcpts, IsCanaryRcpt);
    }
}

public sealed class RelayProbeNetworkTests
{
    [Fact]
    public async Task ProbeAsync_ProbesIPv6Targets_WithIPv6AddressLiterals()
    {
        await using var server = new ScriptedSmtpServer(peer => peer.ServeAsync("220 v6.example.test ESMTP Postfix", "250 v6.example.test",
            (l, _) => l.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 Relay access denied" : null), System.Net.IPAddress.IPv6Loopback);

        var r = await ProbeHarness.Create().ProbeAsync(new ProbeRequest { Host = "::1", Port = server.Port, Mode = ProbeMode.Full }, CancellationToken.None);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.Equal($"[::1]:{server.Port}", r.Target);
        Assert.Contains(server.Commands, c => c == "MAIL FROM:<relaytest@[IPv6:::1]>");
    }

    [Fact]
    public async Task ProbeAsync_KeepsAtMostTheNetworkLimit_OfDialoguesWithOneSlash24()
    {
        var servers = Enumerable.Range(0, 6).Select(_ => new ScriptedSmtpServer(async peer =>
        {
            await Task.Delay(200, peer.Token);
            await peer.ServeAsync("220 n.example.test ESMTP", "250 n.example.test", (l, _) => l.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 Relay access denied" : null);
        })).ToList();
        try
        {
            var probe = ProbeHarness.Create(ProbeHarness.Options(o => o.MaxConcurrentPerNetwork = 2));

            var results = await Task.WhenAll(servers.Select(s => probe.ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = s.Port }, CancellationToken.None)));

            Assert.All(results, r => Assert.Equal(ProbeVerdict.Closed, r.Verdict));
            // All six targets share 127.0.0.0/24: never more than two dialogues at once.
            var events = results.SelectMany(r => new[] { (At: r.StartedAt, D: 1), (At: r.FinishedAt, D: -1) }).OrderBy(e => e.At).ThenBy(e => e.D);
            var open = 0;
            var most = 0;
            foreach (var e in events) most = Math.Max(most, open += e.D);
            Assert.Equal(2, most);
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ProbeAsync_SendsNoDataAndNoTestMessage_WhenRcptOnlyAndTheRecipientIsAccepted()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.RcptAccepted == r.Verdict, r.Reason);
        Assert.Equal(ProbeMode.RcptOnly, r.Mode);
        Assert.Equal(["plain"], r.AcceptedVariants);
        Assert.Contains("no test message was sent", r.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c == "DATA");
        Assert.Empty(server.Messages);
        Assert.Null(r.DataVariant);
        Assert.Null(r.DataReply);
        Assert.Null(r.MessageId);
        Assert.Null(r.TestMessage);
        Assert.Equal("QUIT", server.Commands.Last());
    }

    [Fact]
    public async Task ProbeAsync_StopsAtTheFirstAcceptedRecipient_WhenRcptOnly()
    {
        // Only the null sender gets through; the variants after it are never tried.
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) && s.MailFrom != "MAIL FROM:<>" ? "554 5.7.1 Relay access denied" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.RcptAccepted == r.Verdict, r.Reason);
        Assert.Equal(["null-sender"], r.AcceptedVariants);
        Assert.Equal(2, r.VariantsTried);
        Assert.Equal(2, server.Commands.Count(c => c.StartsWith("RCPT", StringComparison.Ordinal)));
        Assert.DoesNotContain(server.Commands, c => c == "DATA");
    }

    [Fact]
    public async Task ProbeAsync_TempRefused_WhenRcptOnlyGetsOnlyTemporaryAnswers()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "450 4.2.0 Greylisted, see https://postgrey.test" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.TempRefused == r.Verdict, r.Reason);
        Assert.DoesNotContain(server.Commands, c => c == "DATA");
    }

    [Fact]
    public async Task ProbeAsync_Closed_WhenRcptOnlyAndEveryRecipientIsRefused()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 <x>: Relay access denied" : null);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.RcptOnly);

        Assert.True(ProbeVerdict.Closed == r.Verdict, r.Reason);
        Assert.DoesNotContain(r.Variants, v => v.Outcome == VariantOutcome.NotTried);
    }

    [Fact]
    public async Task ProbeAsync_PresentsTheSameEnvelope_WhenRcptOnlyIsRetriedWithTheToken()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "450 4.2.0 Greylisted" : null);
        var probe = ProbeHarness.Create();
        var request = new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.RcptOnly, Variants = ["plain"] };
        var first = await probe.ProbeAsync(request, CancellationToken.None);
        var envelope = server.Commands.Where(c => c.StartsWith("MAIL", StringComparison.Ordinal) || c.StartsWith("RCPT", StringComparison.Ordinal)).ToList();
        server.Commands.Clear();

        var retry = await probe.ProbeAsync(request with { ProbeKey = first.ProbeKey, Token = first.Token }, CancellationToken.None);

        Assert.Equal(first.Token, retry.Token);
        Assert.Equal(envelope, server.Commands.Where(c => c.StartsWith("MAIL", StringComparison.Ordinal) || c.StartsWith("RCPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProbeAsync_TriesOnlyTheSelectedVariantsInTheEnginesOrder_WhenVariantsAreGiven()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 <x>: Relay access denied" : null);

        var r = await ProbeHarness.Create().ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.Full, Variants = ["percent-hack", "plain"] }, CancellationToken.None);

        Assert.True(ProbeVerdict.Closed == r.Verdict, r.Reason);
        Assert.Equal(["plain", "percent-hack"], r.Variants.Select(v => v.Name));
        Assert.Equal(2, r.VariantsPlanned);
        Assert.Equal(
            [$"RCPT TO:<{r.CanaryAddress}>", $"RCPT TO:<{r.CanaryAddress.Replace("@", "%", StringComparison.Ordinal)}@mx.example.test>"],
            server.Commands.Where(c => c.StartsWith("RCPT", StringComparison.Ordinal)));
        Assert.Contains(r.Transcript, l => l.Dir == TranscriptLine.Info && l.Line.StartsWith("2 of ", StringComparison.Ordinal) && l.Line.Contains("selected (plain, percent-hack)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_TriesTodaysOwnDomainSender_WhenTheStoredVariantNamesAnotherDomain()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 <x>: Relay access denied" : null);

        var r = await ProbeHarness.Create().ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.RcptOnly, Variants = ["sender-own-domain-postmaster:old.example"] }, CancellationToken.None);

        // The banner names example.test now: the same trick is tried with the domains this server gives today (one
        // or more, as its names resolve), and no other variant.
        var tried = r.Variants.Where(v => v.Outcome != VariantOutcome.NotTried).Select(v => v.Name).ToList();
        Assert.Contains("sender-own-domain-postmaster:example.test", tried);
        Assert.All(tried, name => Assert.StartsWith("sender-own-domain-postmaster:", name, StringComparison.Ordinal));
        Assert.DoesNotContain("sender-own-domain-postmaster:old.example", tried);
        Assert.Contains(server.Commands, c => c.StartsWith("MAIL FROM:<postmaster@example.test>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_RefusesWithTheTargetsVariantNames_WhenAVariantIsUnknown()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => ProbeHarness.Create().ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = ProbeMode.RcptOnly, Variants = ["plain", "no-such-form"] }, CancellationToken.None));

        Assert.Contains("no relay-test variant named no-such-form", e.Message, StringComparison.Ordinal);
        // The names this target has, its own-domain sender (from the banner's host name) among them.
        Assert.Contains("its variants are plain, null-sender, sender-own-domain-postmaster:example.test,", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_RefusesBeforeConnecting_WhenTheVariantSelectionIsEmpty()
    {
        await using var server = ScriptedSmtpServer.Replying((_, _) => null);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => ProbeHarness.Create().ProbeAsync(
            new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Variants = [] }, CancellationToken.None));

        Assert.Contains("no relay-test variant selected", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }
}
