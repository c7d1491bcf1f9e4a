using Microsoft.Playwright;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, apt package <c>chromium</c>; scripts/test.sh installs it where missing)
/// driven by Microsoft.Playwright's bundled node driver, started once per browser test class (a class fixture, so a class may also join the lab's collection). Playwright never
/// downloads a browser here: it is given the executable, and nothing calls <c>playwright install</c>.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// As the machine notes run it: without the background-networking, component-update and sync switches Chromium
    /// keeps dialling Google's hosts, which this closed network refuses; QUIC and the GPU are of no use headless.
    /// Playwright gives every launch a new empty user-data directory of its own (it refuses <c>--user-data-dir</c> in
    /// the arguments of a non-persistent launch), so no profile carries over between runs.
    /// </summary>
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install chromium (scripts/test.sh does)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            ChromiumSandbox = false,
            Args = Flags,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}
