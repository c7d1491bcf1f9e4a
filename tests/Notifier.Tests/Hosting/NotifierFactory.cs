using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Notifier.Auth;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The whole service in-process over a real SQLite file (migrated, not EnsureCreated) in a temporary folder,
/// with Hangfire workers and a dispatcher that looks every second.
/// </summary>
public class NotifierFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _extra;

    /// <summary>With extra settings (e.g. the loopback DNS and RDAP servers of the contacts tests).</summary>
    public NotifierFactory(IReadOnlyDictionary<string, string?> settings) => _extra = settings;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("notifier-test-").FullName;

    public string DatabasePath => Path.Combine(Directory, "notifier.db");


    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={DatabasePath}",
            ["Jobs:WorkerCount"] = "2",
            ["Probing:TokenKeyFile"] = Path.Combine(Directory, "keys", "probe-token.key"),
            // Per factory, not the shared data/keys of the working directory that parallel factories raced on.
            ["Probing:DkimKeyFile"] = Path.Combine(Directory, "keys", "dkim-test-message.pem"),
            ["Probing:CanaryDomain"] = "canary.test",
            ["Probing:MinIntervalPerTarget"] = "00:00:00",
            ["Probing:MinIntervalPerNetwork"] = "00:00:00",
            ["Probing:ConnectTimeout"] = "00:00:05",
            ["Probing:ReplyTimeout"] = "00:00:10",
            ["DataProtection:KeysDirectory"] = Path.Combine(Directory, "keys"),
            // Downloaded reference data per factory too: a list one test stored must not be the next service's.
            ["ReferenceData:Directory"] = Path.Combine(Directory, "reference"),
            ["Jobs:DispatchCron"] = "*/1 * * * * *",
            ["Jobs:NodeName"] = $"test-{Guid.NewGuid():N}",
            // Our own mail servers in the sample messages (tests/Notifier.Tests/Intake/Samples/README.md).
            ["Intake:TrustedReceivers:Networks:0"] = "10.20.0.0/16",
            ["Intake:TrustedReceivers:Networks:1"] = "10.30.0.0/16",
            ["Intake:TrustedReceivers:Networks:2"] = "fd20:ab::/48",
            // Our receiving MX's authserv-id in the genuine replies of the inbox tests.
            ["Inbox:TrustedReceivers:0"] = Notifier.Tests.Inbox.InboxHarness.TrustedReceiver,
            // DNS stays on loopback (port 9, discard: nothing answers) unless a test brings its own server: the readiness
            // check asks for the DKIM record, and a crawl of /healthz/ready must not ask the machine's resolver.
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
        };
        foreach (var (k, v) in _extra) settings[k] = v;
        // UseSetting, not ConfigureAppConfiguration: Program reads some settings while registering services,
        // before late configuration sources would be applied.
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
    }

    /// <summary>An API key of the given scope, created through the real service.</summary>
    public async Task<string> CreateApiKeyAsync(string scope = ApiScope.Write)
    {
        await using var scopeServices = Services.CreateAsyncScope();
        var (_, secret) = await scopeServices.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync($"test-{Guid.NewGuid():N}", scope, CancellationToken.None);
        return secret;
    }

    public Task<HttpClient> ClientAsync(string scope) => ClientWithKeyAsync(scope);

    public async Task<HttpClient> ClientWithKeyAsync(string scope = ApiScope.Write)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await CreateApiKeyAsync(scope));
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Hangfire keeps the host's logger factory in a static; once the host is gone it must not be used.
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        }
    }
}

/// <summary>The service with production defaults: private targets refused.</summary>
public sealed class DefaultNotifierFactory() : NotifierFactory(new Dictionary<string, string?>());

/// <summary>The service allowed to probe the loopback lab.</summary>
public sealed class LabNotifierFactory() : NotifierFactory(new Dictionary<string, string?> { ["Probing:AllowPrivateTargets"] = "true" });
