using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Auth;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The whole service in-process: a temporary SQLite file migrated at start (as in production, not EnsureCreated),
/// temporary key directories, a dispatcher every second, and whatever settings the test adds (e.g. the loopback
/// DNS and RDAP servers). Dispose deletes the files.
/// </summary>
public sealed class NotifierFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("notifier-test-").FullName;

    public string DatabasePath => Path.Combine(_directory, "notifier.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Probing:TokenKeyFile", Path.Combine(_directory, "keys", "probe-token.key"));
        builder.UseSetting("DataProtection:KeysDirectory", Path.Combine(_directory, "keys"));
        builder.UseSetting("Jobs:DispatchCron", "*/1 * * * * *");
        builder.UseSetting("Jobs:WorkerCount", "2");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>An HttpClient with a new API key of <paramref name="scope"/> (read or write).</summary>
    public async Task<HttpClient> ClientAsync(string scope)
    {
        await using var services = Services.CreateAsyncScope();
        var (_, secret) = await services.ServiceProvider.GetRequiredService<ApiKeys>()
            .CreateAsync($"test-{scope}-{Guid.NewGuid():N}", scope, CancellationToken.None);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary directory behind.
        }
    }
}
