using System.Net;
using System.Text.Json;
using Npgsql;
using Notifier.Tests.Contacts;

namespace Notifier.Tests.Hosting;

/// <summary>
/// /healthz/ready follows the database: a real PostgreSQL behind a port the test takes down and brings back (a
/// server database a node reaches over the network, as a load balancer's readiness probe would see it go). SQLite is
/// a file beside the process and has no such outage.
/// </summary>
public sealed class DatabaseReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Database)> ReadyAsync(NotifierFactory factory)
    {
        var r = await factory.CreateClient().GetAsync("/healthz/ready");
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        return (r.StatusCode, body.GetProperty("checks").GetProperty("database"));
    }

    [Fact]
    public async Task Ready_IsUnhealthyAndRecovers_WhenTheDatabaseGoesDownAndComesBack()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        using var dns = new TestDnsServer();
        using var forwarder = new SwitchableForwarder(new IPEndPoint(IPAddress.Parse(server.Host!), server.Port));
        await using var factory = new NotifierFactory(new Dictionary<string, string?>(database.Settings)
        {
            // Through the forwarder, with short timeouts: a database that is down is reported in seconds.
            ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Port = forwarder.Port,
                Timeout = 3,
                CommandTimeout = 3,
            }.ConnectionString,
            // The DKIM check asks the tests' DNS server (an answer in milliseconds) rather than the machine's resolver.
            ["Contacts:NameServers:0"] = dns.NameServer,
            ["Contacts:DnsRetries"] = "0",
            ["Jobs:RunServer"] = "false",
        });

        var (upStatus, up) = await ReadyAsync(factory);
        forwarder.Down();
        var (downStatus, down) = await ReadyAsync(factory);
        forwarder.Up();
        var (backStatus, back) = await ReadyAsync(factory);

        Assert.Equal("Healthy", up.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.Equal("Unhealthy", down.GetProperty("status").GetString());
        Assert.Contains("the database cannot be reached", down.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", back.GetProperty("status").GetString());
        Assert.True(upStatus is HttpStatusCode.OK && backStatus is HttpStatusCode.OK, $"ready answered {upStatus}, then {backStatus} once the database was back");
    }
}
