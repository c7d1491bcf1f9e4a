using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cli;

/// <summary>The binary as an operator runs it: configuration errors at start, the import verbs.</summary>
public sealed class ServiceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-cli-").FullName;

    private Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        env["Notifier__Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "notifier.db")}";
        env["Notifier__Probing__TokenKeyFile"] = Path.Combine(_dir, "token.key");
        env["Notifier__Urls"] = "http://127.0.0.1:0";
        return NotifierProcess.RunAsync(args, env, _dir, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Service_StopsAtStartWithTheSettingsName_WhenConfigurationIsInvalid()
    {
        var (code, stdout, stderr) = await RunAsync(new() { ["Notifier__Probing__CanaryDomain"] = "not a domain", ["Notifier__Cases__MaxProbeAttempts"] = "0" });

        Assert.NotEqual(0, code);
        Assert.Contains("Probing:CanaryDomain", stdout + stderr);
    }

    [Fact]
    public async Task ImportEml_OpensCase_AndImportCsv_ReportsRowsByLine()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "Intake", "Samples");
        var env = new Dictionary<string, string> { ["Notifier__Intake__TrustedReceivers__Networks__0"] = "10.20.0.0/16" };

        var eml = await RunAsync(env, "import-eml", Path.Combine(samples, "postfix-two-trusted-hops.eml"));
        var csv = await RunAsync(env, "import", Path.Combine(samples, "bad-rows.csv"));
        var missing = await RunAsync(env, "import", Path.Combine(_dir, "nope.csv"));

        Assert.True(eml.Code == 0, eml.Err);
        Assert.Matches(@"NR-\d{6} 81\.2\.69\.142:25 opened", eml.Out);
        Assert.True(csv.Code == 0, csv.Err);
        Assert.Contains("rejected", csv.Out);
        Assert.Matches(@"line \d+: rejected: ", csv.Out);
        Assert.Equal(2, missing.Code);
        Assert.Contains("no such file", missing.Err);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
