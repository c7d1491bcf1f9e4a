using Microsoft.Playwright;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// A browser tab on the service that fails the test on anything a user's browser would complain about: a console
/// error (a CSP violation, a script error, a resource that did not load), an uncaught page error, a request that
/// failed on the wire, or a response of 400 and up. Every step calls <see cref="AssertCleanAsync"/>; screenshots go to
/// <c>artifacts/screenshots/</c> at the repository root (or <c>NOTIFIER_ARTIFACTS</c>), which scripts/test.sh names
/// at its end.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, m) => { if (m.Type == "error" && !AllowedLoadError(m.Text, page.Url)) Problem($"console error on {page.Url}: {m.Text} ({m.Location})"); };
        page.PageError += (_, e) => Problem($"page error on {page.Url}: {e}");
        page.RequestFailed += (_, r) => Problem($"request failed: {r.Method} {r.Url}: {r.Failure}");
        page.Response += (_, r) => { if (r.Status >= 400 && !Allowed(r.Status, r.Request.Method, r.Url)) Problem($"{r.Status} for {r.Request.Method} {r.Url}"); };
    }

    public IPage Page { get; }

    private readonly List<(int Status, string Method, string PathEnd)> _allowed = [];

    /// <summary>
    /// A response the test expects to be an error (a refusal the page shows, such as the owner retest's 429): exactly
    /// this status for this method on a URL whose path ends so. Anything else of 400 and up still fails.
    /// </summary>
    public void Allow(int status, string method, string pathEnd)
    {
        lock (_allowed) _allowed.Add((status, method, pathEnd));
    }

    /// <summary>Chromium also logs an allowed error response of the page itself as a console error ("Failed to load resource: … status of 429").</summary>
    private bool AllowedLoadError(string text, string url)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, @"^Failed to load resource: the server responded with a status of (\d{3})");
        if (!m.Success) return false;
        var status = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var path = new Uri(url).AbsolutePath;
        lock (_allowed) return _allowed.Any(a => a.Status == status && path.EndsWith(a.PathEnd, StringComparison.Ordinal));
    }

    private bool Allowed(int status, string method, string url)
    {
        var path = new Uri(url).AbsolutePath;
        lock (_allowed) return _allowed.Any(a => a.Status == status && a.Method == method && path.EndsWith(a.PathEnd, StringComparison.Ordinal));
    }

    public static string ScreenshotDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("NOTIFIER_ARTIFACTS") is { Length: > 0 } a ? a : Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), "artifacts"), "screenshots");

    public static async Task<WatchedPage> OpenAsync(Chromium chromium, Uri baseAddress)
    {
        // A context of its own: its own cookies, so one test's sign-in is no other's.
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        return new WatchedPage(context, await context.NewPageAsync());
    }

    /// <summary>Fails with every problem seen since the page opened (they are not cleared: a problem stays a failure).</summary>
    public async Task AssertCleanAsync()
    {
        // Let requests the last step started (stylesheets, scripts) finish and report.
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (_problems) Assert.True(_problems.Count == 0, "the browser saw:\n" + string.Join('\n', _problems));
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.NotNull(response);
        await AssertCleanAsync();
    }

    /// <summary>A full-page PNG under <see cref="ScreenshotDirectory"/>; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private void Problem(string what)
    {
        lock (_problems) _problems.Add(what);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
