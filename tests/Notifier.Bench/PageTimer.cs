using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Notifier.Bench;

/// <summary>
/// Times dashboard pages as a signed-in operator's browser asks for them, one request at a time over loopback:
/// a stopwatch around each whole request (sent until the last byte of the body is read), so a figure is the
/// server's time plus a loopback round trip (well under a millisecond here). The first requests of each page warm
/// up the JIT, EF Core's query cache and SQLite's page cache and are not counted.
/// </summary>
public sealed partial class PageTimer(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _client = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public async Task SignInAsync(string user, string password)
    {
        var form = await _client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = TokenField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token });
        var r = await _client.PostAsync(new Uri("/login", UriKind.Relative), content);
        if (r.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in as {user} answered {(int)r.StatusCode}");
    }

    /// <summary>
    /// Times <paramref name="runs"/> requests of <paramref name="path"/> after <paramref name="warmup"/>; milliseconds,
    /// sorted; null when this build has no such page (404).
    /// </summary>
    public async Task<double[]?> TimeAsync(string path, int runs, int warmup)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var r = await _client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await r.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (r.StatusCode == HttpStatusCode.NotFound) return null;
            if (r.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)r.StatusCode} ({body.Length} bytes)");
            if (i >= warmup) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return [.. times];
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// A row of the README's benchmark table: <c>| pages | figure | min | median | max | goal | met? |</c>, the goal an
    /// upper bound in milliseconds on the median (none: shown for comparison only).
    /// </summary>
    public static string TableRow(string figure, IReadOnlyList<double> values, double? goal)
    {
        var sorted = values.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var (goalText, met) = goal is { } g ? (string.Create(CultureInfo.InvariantCulture, $"< {g:0}"), median < g ? "yes" : "no") : ("", "");
        return string.Create(CultureInfo.InvariantCulture, $"| pages | {figure} | {sorted[0]:0.0} | {median:0.0} | {sorted[^1]:0.0} | {goalText} | {met} |");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public void Dispose() => _client.Dispose();
}
