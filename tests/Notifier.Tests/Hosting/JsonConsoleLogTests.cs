using System.Text.Json;

namespace Notifier.Tests.Hosting;

/// <summary>Logging:Console:FormatterName=json, ASP.NET Core's own setting, turns the service's output into JSON lines.</summary>
public sealed class JsonConsoleLogTests
{
    [Fact]
    public async Task ConsoleOutput_IsOneJsonObjectPerLine_WhenTheFormatterIsJson()
    {
        // The first start also prints, once and as plain text, the first admin's password and the DKIM records to
        // publish (announcements for the operator, not logs); the restart shows the service's everyday output.
        var first = await RunningNotifier.StartAsync(new Dictionary<string, string> { ["Logging:Console:FormatterName"] = "json" });
        IReadOnlyList<string> lines;
        await using (var service = await first.RestartAsync())
        {
            await first.DisposeAsync();
            using var client = new HttpClient { BaseAddress = service.BaseAddress };
            Assert.True((await client.GetAsync("/healthz/live")).IsSuccessStatusCode);
            lines = service.Output;
        }

        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e =>
        {
            Assert.Equal(JsonValueKind.String, e.GetProperty("LogLevel").ValueKind);
            Assert.Equal(JsonValueKind.String, e.GetProperty("Category").ValueKind);
            Assert.Equal(JsonValueKind.String, e.GetProperty("Message").ValueKind);
        });
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "Microsoft.Hosting.Lifetime"
                                      && e.GetProperty("Message").GetString()!.StartsWith("Now listening on: http://127.0.0.1:", StringComparison.Ordinal));
    }
}
