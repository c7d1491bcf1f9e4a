using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Probing;

/// <summary>First use of the token and DKIM key files by many processes at once (issue 8, item 6).</summary>
public sealed class KeyFileTests
{
    private const int Parallel = 8;

    [Fact]
    public async Task FromFile_AllCallersGetTheSameKeys_WhenTheyCreateThemAtOnce()
    {
        var folder = Directory.CreateTempSubdirectory("notifier-keys-").FullName;
        var tokenFile = Path.Combine(folder, "keys", "probe-token.key");
        var dkimFile = Path.Combine(folder, "keys", "dkim.pem");
        var announced = new ConcurrentBag<string>();
        using var start = new Barrier(Parallel);

        var loaded = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var token = ProbeTokenKey.FromFile(tokenFile);
            var dkim = TestMessageSigner.FromFile(dkimFile, "canary.test", "notifier", announced.Add);
            return (Token: Convert.ToBase64String(token.Bytes), Dkim: dkim.DnsRecord);
        }, TaskCreationOptions.LongRunning)));

        Assert.Single(loaded.Select(l => l.Token).Distinct());
        Assert.Single(loaded.Select(l => l.Dkim).Distinct());
        Assert.Equal(loaded[0].Token, File.ReadAllText(tokenFile));
        Assert.Equal([loaded[0].Dkim], announced);
        Assert.Equal(loaded[0].Dkim + "\n", File.ReadAllText(dkimFile + ".txt"));
        Assert.Equal(["dkim.pem", "dkim.pem.txt", "probe-token.key"], Directory.GetFiles(Path.GetDirectoryName(tokenFile)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Probe_EveryProcessSucceedsWithOneKey_WhenEightStartOnAFreshDataFolder()
    {
        await using var server = ScriptedSmtpServer.Replying((line, _) =>
            line.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 <x>: Relay access denied" : null);
        var folder = Directory.CreateTempSubdirectory("notifier-first-use-").FullName;

        var runs = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ =>
            NotifierProcess.RunAsync(["probe", $"127.0.0.1:{server.Port}", "--allow-private", "--json", "--canary-domain", "canary.test"], workingDirectory: folder)));

        Assert.All(runs, r => Assert.True(r.Code == 0, r.Err));
        var key = ProbeTokenKey.FromBase64(File.ReadAllText(Path.Combine(folder, "data", "keys", "probe-token.key")).Trim());
        var target = new IPEndPoint(IPAddress.Loopback, server.Port).ToString();
        foreach (var run in runs)
        {
            using var json = JsonDocument.Parse(run.Out);
            // Every process made its token with the one key on disk, so every token verifies with it.
            Assert.True(ProbeToken.Verify(key.Bytes, json.RootElement.GetProperty("token").GetString()!, target));
        }
        Assert.Single(runs, r => r.Err.Contains("A DKIM key for test messages was created", StringComparison.Ordinal));
    }
}
