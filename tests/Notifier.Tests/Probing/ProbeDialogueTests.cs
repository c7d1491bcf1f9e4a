using System.Text;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>How a dialogue that is cut short or whose TLS breaks is judged (issue 8, items 4 and 5).</summary>
public sealed class ProbeDialogueTests
{
    /// <summary>Refuses every recipient, each after <paramref name="delay"/>: a slow but closed server.</summary>
    private static ScriptedSmtpServer SlowRefuser(TimeSpan delay) => new(async peer =>
    {
        await peer.WriteAsync("220 slow.example.test ESMTP Postfix\r\n");
        while (await peer.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            if (verb == "RCPT") await Task.Delay(delay, peer.Token);
            await peer.WriteAsync(verb switch
            {
                "EHLO" => "250-slow.example.test\r\n250 8BITMIME\r\n",
                "RCPT" => "554 5.7.1 <x>: Relay access denied\r\n",
                "QUIT" => "221 2.0.0 Bye\r\n",
                _ => "250 2.0.0 Ok\r\n",
            });
            if (verb == "QUIT") return;
        }
    });

    [Fact]
    public async Task ProbeAsync_Incomplete_WhenTheTotalTimeoutCutsTheVariantsShort()
    {
        await using var server = SlowRefuser(TimeSpan.FromMilliseconds(400));

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full, ProbeHarness.Options(o => o.TotalTimeout = TimeSpan.FromSeconds(3)));

        Assert.True(ProbeVerdict.Incomplete == r.Verdict, r.Reason);
        Assert.True(r.VariantsTried > 0 && r.VariantsTried < r.VariantsPlanned, $"{r.VariantsTried} of {r.VariantsPlanned}");
        Assert.Equal(r.Variants.Count, r.VariantsPlanned);
        Assert.Contains($"after {r.VariantsTried} of {r.VariantsPlanned} relay-test variants", r.Reason);
        Assert.Contains(r.Transcript, l => l.Dir == TranscriptLine.Info && l.Line.StartsWith($"{r.VariantsTried} of {r.VariantsPlanned} relay-test variants tried", StringComparison.Ordinal));
        var json = ProbeResultJson.Serialize(r);
        Assert.Contains("\"verdict\":\"incomplete\"", json);
        Assert.Contains($"\"variantsTried\":{r.VariantsTried},", json);
        Assert.Contains($"\"variantsPlanned\":{r.VariantsPlanned},", json);
    }

    [Fact]
    public async Task ProbeAsync_Incomplete_WhenTheServerDropsTheConnectionMoreOftenThanAllowed()
    {
        // Drops the session after the third refused recipient; two reconnects allowed cannot cover 20 variants.
        await using var server = ScriptedSmtpServer.Replying((line, s) =>
            !line.StartsWith("RCPT", StringComparison.Ordinal) ? null : s.Errors >= 3 ? "<drop>" : "550 5.7.1 relay not permitted");

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full, ProbeHarness.Options(o => o.MaxReconnects = 2));

        Assert.True(ProbeVerdict.Incomplete == r.Verdict, r.Reason);
        Assert.Contains(r.Variants, v => v.Outcome == VariantOutcome.NotTried);
        Assert.Contains("dropped the connection", r.Reason);
    }

    [Fact]
    public async Task ProbeAsync_Closed_WhenEveryVariantWasTriedAndRefused()
    {
        await using var server = SlowRefuser(TimeSpan.Zero);

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.Equal(r.VariantsPlanned, r.VariantsTried);
    }

    [Fact]
    public async Task ProbeAsync_TriesTlsOnce_WhenTheServerDemandsStartTlsAndBreaksTheHandshake()
    {
        // 530 for want of TLS (RFC 3207 §4), then "220 go ahead" and the connection closed mid-handshake.
        await using var server = new ScriptedSmtpServer(async peer =>
        {
            await peer.WriteAsync("220 tls.example.test ESMTP Postfix\r\n");
            while (await peer.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb == "STARTTLS")
                {
                    await peer.WriteAsync("220 2.0.0 Ready to start TLS\r\n");
                    await peer.WriteRawAsync(Encoding.ASCII.GetBytes("this is not a TLS record\r\n"));
                    return;
                }
                await peer.WriteAsync(verb switch
                {
                    "EHLO" => "250-tls.example.test\r\n250 8BITMIME\r\n",
                    "MAIL" => "530 5.7.0 Must issue a STARTTLS command first\r\n",
                    "QUIT" => "221 2.0.0 Bye\r\n",
                    _ => "250 2.0.0 Ok\r\n",
                });
                if (verb == "QUIT") return;
            }
        });

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(2, r.Sessions);
        Assert.Equal(2, server.Connections);
        Assert.Single(server.Commands, c => c == "STARTTLS");
        Assert.Equal(ProbeVerdict.ProtocolError, r.Verdict);
        Assert.Contains("TLS handshake failed", r.Reason);
        Assert.Contains("not tried again", r.Reason);
        Assert.NotNull(r.Tls?.Failure);
    }

    [Fact]
    public async Task ProbeAsync_SaysTlsFailed_WhenTheOfferedStartTlsHandshakeBreaks()
    {
        await using var server = new ScriptedSmtpServer(async peer =>
        {
            await peer.WriteAsync("220 tls.example.test ESMTP Postfix\r\n");
            while (await peer.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb == "STARTTLS")
                {
                    await peer.WriteAsync("220 2.0.0 Ready to start TLS\r\n");
                    return;
                }
                await peer.WriteAsync(verb switch
                {
                    "EHLO" => "250-tls.example.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
                    "RCPT" => "554 5.7.1 <x>: Relay access denied\r\n",
                    "QUIT" => "221 2.0.0 Bye\r\n",
                    _ => "250 2.0.0 Ok\r\n",
                });
                if (verb == "QUIT") return;
            }
        });

        var r = await ProbeHarness.ProbeAsync(server, ProbeMode.Full);

        Assert.Equal(ProbeVerdict.Closed, r.Verdict);
        Assert.Single(server.Commands, c => c == "STARTTLS");
        Assert.Contains("STARTTLS handshake failed", r.Reason);
        Assert.Contains("without trying TLS again", r.Reason);
    }
}
