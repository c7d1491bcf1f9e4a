using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cli;

/// <summary><c>probe --file</c> as a user runs it: the real binary against the lab's Postfix instances, a list with comments and a bad line.</summary>
[Collection(LabBesideCollection.Name)]
public sealed class ProbeFileVerbTests(Notifier.Tests.Lab.Lab lab)
{
    [Fact]
    public async Task ProbeFile_PrintsOneJsonObjectPerTarget_AndReportsTheBadLineByNumber_WhenTheListMixesClosedOpenAndBadLines()
    {
        var file = await TargetsAsync(
            "# lab relays",
            lab["NOTIFIER_LAB_CLOSED"] + "   # closed Postfix",
            "",
            "127.0.0.1:99999",
            lab["NOTIFIER_LAB_OPEN"],
            lab["NOTIFIER_LAB_CLOSED"]);

        var (code, stdout, stderr) = await NotifierProcess.RunAsync(["probe", "--file", file, "--json-lines", "--concurrency", "2", "--allow-private", "--canary-domain", lab.CanaryDomain]);

        Assert.Equal(3, code);
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var verdicts = results.ToDictionary(r => r.GetProperty("target").GetString()!, r => r.GetProperty("verdict").GetString());
        Assert.Equal(2, results.Count);
        Assert.Equal("closed", verdicts[lab["NOTIFIER_LAB_CLOSED"]]);
        Assert.Equal("data-accepted", verdicts[lab["NOTIFIER_LAB_OPEN"]]);
        // The same object as probe --json: the transcript and the variants are there.
        Assert.All(results, r => Assert.NotEqual(0, r.GetProperty("transcript").GetArrayLength()));
        Assert.Contains($"{file}:4: \"127.0.0.1:99999\"", stderr);
        Assert.Contains($"{file}:6: {lab["NOTIFIER_LAB_CLOSED"]} is already on line 2", stderr);
        Assert.Contains("[2/2] ", stderr);
    }

    [Fact]
    public async Task ProbeFile_ExitsWith0_WhenNoTargetRelays()
    {
        var file = await TargetsAsync(lab["NOTIFIER_LAB_CLOSED"], "not a target");

        var (code, stdout, stderr) = await NotifierProcess.RunAsync(["probe", "--file", file, "--allow-private", "--canary-domain", lab.CanaryDomain]);

        Assert.True(code == 0, stderr);
        Assert.StartsWith($"{lab["NOTIFIER_LAB_CLOSED"]}\tclosed\t", stdout);
        Assert.Contains($"{file}:2: \"not a target\"", stderr);
    }

    private static async Task<string> TargetsAsync(params string[] lines)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("notifier-targets-").FullName, "targets.txt");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
