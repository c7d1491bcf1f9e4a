namespace Notifier.Cli;

/// <summary>
/// <c>health &lt;url&gt;</c>: asks the running service's health endpoint (<c>/healthz/live</c>) and exits 0 when it
/// answers 2xx, 1 otherwise. The container image's HEALTHCHECK runs it: Microsoft's aspnet image has no curl or wget,
/// and installing one only for this would be one more package to keep patched.
/// </summary>
public static class HealthCommand
{
    private const string Usage = "usage: health <url>   (e.g. health http://127.0.0.1:8080/healthz/live)";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new CliUsageException(Usage);
        // Docker's own --timeout kills a check that hangs; this one ends first with a line that says why.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url, ct);
            await stdout.WriteLineAsync($"{url}: {(int)response.StatusCode} {response.ReasonPhrase}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
