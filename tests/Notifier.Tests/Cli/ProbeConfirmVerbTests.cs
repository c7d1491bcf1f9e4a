using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cli;

/// <summary><c>probe --confirm</c> as a user runs it: real binary, real Postfix relays, the canary read from real Dovecot.</summary>
[Collection(LabCollection.Name)]
public sealed class ProbeConfirmVerbTests(Notifier.Tests.Lab.Lab lab)
{
    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => NotifierProcess.RunAsync(args);

    private string ImapUrl() =>
        $"imap://{lab["NOTIFIER_LAB_IMAP_USER"]}:{lab["NOTIFIER_LAB_IMAP_PASSWORD"]}@{lab["NOTIFIER_LAB_IMAP"]}/INBOX";

    [Theory]
    [InlineData("OPEN", "confirmed", "30")]
    [InlineData("DISCARD", "accepts-but-drops", "4")]
    public async Task ProbeConfirm_PrintsFinalVerdict_AfterWatchingTheMailbox(string instance, string verdict, string wait)
    {
        var (code, stdout, stderr) = await RunAsync("probe", lab[$"NOTIFIER_LAB_{instance}"], "--allow-private", "--json",
            "--canary-domain", lab.CanaryDomain, "--confirm", "--imap", ImapUrl(), "--wait", wait);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(verdict, json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ProbeConfirm_ExitsWith2_WhenImapUrlIsMissing()
    {
        var (code, _, stderr) = await RunAsync("probe", lab["NOTIFIER_LAB_OPEN"], "--allow-private", "--confirm");

        Assert.Equal(2, code);
        Assert.Contains("--imap", stderr, StringComparison.Ordinal);
    }
}
