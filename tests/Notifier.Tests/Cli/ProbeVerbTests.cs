using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cli;

/// <summary>The probe verb as a user runs it: the real binary, real Postfix, JSON on stdout.</summary>
[Collection(LabBesideCollection.Name)]
public sealed class ProbeVerbTests(Notifier.Tests.Lab.Lab lab)
{
    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => NotifierProcess.RunAsync(args);

    [Theory]
    [InlineData("OPEN", "data-accepted")]
    [InlineData("CLOSED", "closed")]
    public async Task Probe_PrintsVerdictJson_AgainstRealPostfix(string instance, string verdict)
    {
        var (code, stdout, stderr) = await RunAsync("probe", lab[$"NOTIFIER_LAB_{instance}"], "--allow-private", "--json", "--canary-domain", lab.CanaryDomain);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(verdict, root.GetProperty("verdict").GetString());
        foreach (var field in new[] { "target", "mta", "banner", "tls", "variants", "acceptedVariants", "dataReply", "token", "canaryAddress", "transcript", "startedAt", "finishedAt" })
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        var variant = root.GetProperty("variants")[0];
        foreach (var field in new[] { "name", "mailFrom", "rcptTo", "mailReply", "rcptReply", "accepted" })
            Assert.True(variant.TryGetProperty(field, out _), $"variant missing {field}");
        var line = root.GetProperty("transcript")[0];
        Assert.True(line.TryGetProperty("at", out _) && line.TryGetProperty("dir", out _) && line.TryGetProperty("line", out _));
    }

    [Fact]
    public async Task Probe_ExitsWith2AndOneLine_WhenTargetIsPrivateWithoutAllowPrivate()
    {
        var (code, stdout, stderr) = await RunAsync("probe", lab["NOTIFIER_LAB_CLOSED"], "--json");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("loopback", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("note:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_PrintsTranscriptAndSummary_ForHumans()
    {
        var (code, stdout, _) = await RunAsync("probe", lab["NOTIFIER_LAB_CLOSED"], "--allow-private", "--canary-domain", lab.CanaryDomain);

        Assert.Equal(0, code);
        Assert.Contains(" -> EHLO ", stdout);
        Assert.Contains(" <- 220 ", stdout);
        Assert.Contains("Verdict:      closed", stdout);
        Assert.Contains("MTA:          Postfix", stdout);
    }

    [Fact]
    public async Task Probe_PrintsRcptAcceptedInRcptOnlyMode_WithoutSendingDataToAnOpenRelay()
    {
        var (code, stdout, stderr) = await RunAsync("probe", lab["NOTIFIER_LAB_OPEN"], "--allow-private", "--json", "--canary-domain", lab.CanaryDomain,
            "--rcpt-only", "--variant", "null-sender,plain");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("rcpt-accepted", root.GetProperty("verdict").GetString());
        Assert.Equal("rcpt-only", root.GetProperty("mode").GetString());
        Assert.Equal(["plain", "null-sender"], root.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        Assert.DoesNotContain(root.GetProperty("transcript").EnumerateArray(), l => l.GetProperty("line").GetString() == "DATA");
    }

    [Fact]
    public async Task Probe_ExitsWith2AndListsTheVariants_WhenAVariantIsUnknown()
    {
        var (code, stdout, stderr) = await RunAsync("probe", lab["NOTIFIER_LAB_CLOSED"], "--allow-private", "--canary-domain", lab.CanaryDomain, "--variant", "plainn");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Contains("no relay-test variant named plainn", error, StringComparison.Ordinal);
        Assert.Contains("plain, null-sender", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ShowsTheMode_ForHumans()
    {
        var (code, stdout, _) = await RunAsync("probe", lab["NOTIFIER_LAB_CLOSED"], "--allow-private", "--canary-domain", lab.CanaryDomain, "--rcpt-only");

        Assert.Equal(0, code);
        Assert.Contains("Verdict:      closed", stdout);
        Assert.Contains("Mode:         rcpt-only", stdout);
    }
}
