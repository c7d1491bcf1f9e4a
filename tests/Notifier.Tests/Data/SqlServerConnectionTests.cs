using System.Net;
using System.Net.Sockets;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>
/// A node on <c>Database:Provider=SqlServer</c> really connects: Microsoft.Data.SqlClient refuses to open any connection
/// under invariant globalization ("Globalization Invariant Mode is not supported"), so the shipped runtime
/// configuration must have ICU on. No SQL Server runs here: a loopback listener stands where it would be and takes the
/// connection (closing it before SQL Server's pre-login answer), which shows the client got as far as the network.
/// </summary>
public sealed class SqlServerConnectionTests
{
    [Fact]
    public async Task SqlServerNode_ConnectsToTheServer_RatherThanRefusingInvariantGlobalization()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            return true;
        });

        var (code, stdout, stderr) = await NotifierProcess.RunAsync([], new Dictionary<string, string>
        {
            ["Notifier__Urls"] = "http://127.0.0.1:0",
            ["Notifier__Database__Provider"] = "SqlServer",
            ["Notifier__Database__ConnectionString"] = $"Server=127.0.0.1,{port};Database=notifier;User Id=sa;Password=unused;Connect Timeout=5;ConnectRetryCount=0;Encrypt=False",
        }, Directory.CreateTempSubdirectory("notifier-sqlserver-").FullName);

        var output = stdout + stderr;
        Assert.DoesNotContain("Globalization Invariant Mode", output, StringComparison.Ordinal);
        Assert.True(await accepted.WaitAsync(TimeSpan.FromSeconds(30)), "the node never connected to the server's port");
        // Without a server the node cannot start; it says why with SqlClient's own error.
        Assert.NotEqual(0, code);
        Assert.Contains("Microsoft.Data.SqlClient.SqlException", output, StringComparison.Ordinal);
    }
}
