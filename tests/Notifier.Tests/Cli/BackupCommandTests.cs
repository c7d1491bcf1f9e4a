using System.Net.Http.Json;
using System.Text.Json;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cli;

/// <summary><c>backup &lt;file&gt;</c> as an operator runs it beside the running service.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string _backups = Directory.CreateTempSubdirectory("notifier-backup-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_backups, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Nothing leaves the machine: the case's probe goes to a closed loopback port, DNS and RDAP to port 9 (discard).</summary>
    private static Dictionary<string, string> Settings(string? database = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
            ["Contacts:RdapBootstrapUrl"] = "http://127.0.0.1:9/rdap/bootstrap.json",
            ["Contacts:UseAbuseNet"] = "false",
            ["Probing:AllowPrivateTargets"] = "true",
        };
        if (database is not null) settings["Database:ConnectionString"] = $"Data Source={database}";
        return settings;
    }

    private static HttpClient Api(RunningNotifier service, string key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Backup_WritesACopyTheServiceStartsOn_WhileTheServiceRuns()
    {
        var target = Path.Combine(_backups, "nightly", "notifier-backup.db");
        string key;
        int caseId;
        await using (var service = await RunningNotifier.StartAsync(Settings()))
        {
            key = (await service.RunVerbAsync("apikey", "create", "backup-test")).Trim();
            using var api = Api(service, key);
            // Port 9 on loopback has no listener: the probe finds it unreachable; the case is data all the same.
            var created = await api.PostAsJsonAsync("/api/cases", new { address = "127.0.0.77", port = 9, source = "backup-test" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            caseId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

            var printed = await service.RunVerbAsync("backup", target);

            Assert.Equal(target, printed.Trim());
        }

        await using var restored = await RunningNotifier.StartAsync(Settings(target));
        using var restoredApi = Api(restored, key);
        var detail = JsonDocument.Parse(await restoredApi.GetStringAsync($"/api/cases/{caseId}")).RootElement;
        Assert.Equal("127.0.0.77", detail.GetProperty("case").GetProperty("address").GetString());
        // The admin of the first start is in the copy: the restored service creates no new one.
        Assert.DoesNotContain(restored.Output, l => l.Contains("created the operator account \"admin\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_RefusesAndKeepsTheFile_WhenTheFileExists()
    {
        var target = Path.Combine(_backups, "taken.db");
        await File.WriteAllTextAsync(target, "an older backup");
        var environment = new Dictionary<string, string> { ["Notifier__Database__ConnectionString"] = $"Data Source={Path.Combine(_backups, "live.db")}" };
        // A verb that works on the database creates and migrates it.
        Assert.Equal(0, (await NotifierProcess.RunAsync(["apikey", "list"], environment)).Code);

        var (code, _, stderr) = await NotifierProcess.RunAsync(["backup", target], environment);

        Assert.Equal(2, code);
        Assert.Contains("exists already", stderr, StringComparison.Ordinal);
        Assert.Equal("an older backup", await File.ReadAllTextAsync(target));
    }
}
