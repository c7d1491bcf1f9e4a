using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Jobs;

/// <summary>
/// Two nodes on one PostgreSQL taking reports at the same time: every new relay gets a case reference of its own,
/// each node's references increase in the order it opened them, and a relay reported to both nodes at once is one
/// case (the second report is added to it, not refused).
/// </summary>
public sealed class TwoNodesIntakeTests : IAsyncLifetime
{
    private const int OwnRelays = 30, SharedRelays = 15;
    private TestDatabase _database = null!;
    private readonly List<RunningNotifier> _nodes = [];

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task CaseReferences_AreUniqueAndIncreasing_AndOneRelayIsOneCase_WhenTwoNodesTakeReportsAtOnce()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Probing:AllowPrivateTargets"] = "true",
            // Intake only: nothing is probed, the cases stay as intake made them.
            ["Jobs:RunServer"] = "false",
        };
        foreach (var (k, v) in _database.Settings) settings[k] = v!;
        var first = await RunningNotifier.StartAsync(new Dictionary<string, string>(settings) { ["Jobs:NodeName"] = "node-a" }, TimeSpan.FromMinutes(3));
        _nodes.Add(first);
        var second = await RunningNotifier.StartAsync(new Dictionary<string, string>(settings) { ["Jobs:NodeName"] = "node-b" }, TimeSpan.FromMinutes(3));
        _nodes.Add(second);
        var key = (await first.RunVerbAsync("apikey", "create", "intake")).Trim();

        // Each node: its own relays and the shared ones, interleaved, one report after the other.
        var shared = Enumerable.Range(0, SharedRelays).Select(i => $"127.210.{i}.1").ToList();
        var reports = await Task.WhenAll(
            ReportAllAsync(first, key, [.. Interleave(Enumerable.Range(0, OwnRelays).Select(i => $"127.211.{i}.1"), shared)]),
            ReportAllAsync(second, key, [.. Interleave(Enumerable.Range(0, OwnRelays).Select(i => $"127.212.{i}.1"), shared)]));

        var all = reports.SelectMany(r => r).ToList();
        // One case per relay, whichever node opened it.
        Assert.All(all.GroupBy(r => r.Address), g => Assert.Single(g.Select(r => r.Id).Distinct()));
        Assert.Equal(2 * OwnRelays + SharedRelays, all.Select(r => r.Id).Distinct().Count());
        Assert.Equal(2 * OwnRelays + SharedRelays, all.Select(r => r.Reference).Distinct(StringComparer.Ordinal).Count());
        // Each node's new cases: references that increase in the order it opened them.
        foreach (var node in reports)
        {
            var opened = node.Where(r => r.Created).Select(r => r.Id).ToList();
            Assert.Equal(opened.Order(), opened);
        }
        // A shared relay opened by one node has the other node's report on it.
        using var api = Client(first, key);
        foreach (var address in shared)
        {
            var id = all.First(r => r.Address == address).Id;
            var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/cases/{id}")).RootElement;
            var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Equal(1, kinds.Count(k => k == "created"));
            Assert.Equal(1, kinds.Count(k => k == "reported"));
        }
    }

    private static IEnumerable<string> Interleave(IEnumerable<string> own, List<string> shared)
    {
        var i = 0;
        foreach (var address in own)
        {
            yield return address;
            if (i < shared.Count) yield return shared[i++];
        }
        while (i < shared.Count) yield return shared[i++];
    }

    private static HttpClient Client(RunningNotifier node, string key)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<List<(string Address, int Id, string Reference, bool Created)>> ReportAllAsync(RunningNotifier node, string key, List<string> addresses)
    {
        using var api = Client(node, key);
        var results = new List<(string, int, string, bool)>();
        foreach (var address in addresses)
        {
            var response = await api.PostAsJsonAsync("/api/cases", new { address, port = 25, source = "two-nodes" });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{address}: {(int)response.StatusCode} {body}");
            var c = JsonDocument.Parse(body).RootElement;
            var id = c.GetProperty("id").GetInt32();
            results.Add((address, id, c.GetProperty("reference").GetString()!, response.StatusCode == System.Net.HttpStatusCode.Created));
        }
        return results;
    }
}
