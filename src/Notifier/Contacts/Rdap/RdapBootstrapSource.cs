using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// Supplies the bootstrap: the copy shipped in Contacts/Data (IANA's ipv4.json and ipv6.json), or, when
/// <see cref="ContactsOptions.RdapBootstrapUrl"/> is set, the files read from there and refreshed every
/// <see cref="ContactsOptions.RdapBootstrapRefresh"/> (at a lookup, or at the daily reference data job). A failed
/// refresh keeps the copy read last (the shipped copy when none was read yet) with a note, so a registry outage, a
/// broken download or a lab without internet never leaves lookups without a map.
/// </summary>
public sealed class RdapBootstrapSource(IHttpClientFactory http, IOptions<ContactsOptions> options, TimeProvider time) : IDisposable
{
    public static readonly string ShippedDirectory = Path.Combine(AppContext.BaseDirectory, "Contacts", "Data");
    private static readonly string[] Files = ["ipv4.json", "ipv6.json"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RdapBootstrap? _shipped;
    private RdapBootstrap? _current;
    private RdapBootstrap? _lastRead;
    private LookupNote? _fallbackNote;
    private DateTimeOffset _expires;

    public async Task<(RdapBootstrap Bootstrap, LookupNote? Note)> GetAsync(CancellationToken ct)
    {
        var url = options.Value.RdapBootstrapUrl;
        if (string.IsNullOrWhiteSpace(url)) return (Shipped(), null);
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is not null && time.GetUtcNow() < _expires) return (_current, _fallbackNote);
            var baseUrl = new Uri(url.EndsWith('/') ? url : url + "/");
            try
            {
                var client = http.CreateClient(RdapClient.HttpClientName);
                var texts = new List<string>();
                foreach (var file in Files) texts.Add(await client.GetStringAsync(new Uri(baseUrl, file), ct));
                _current = _lastRead = RdapBootstrap.Parse(texts, baseUrl.ToString());
                _fallbackNote = null;
                _expires = time.GetUtcNow() + options.Value.RdapBootstrapRefresh;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or FormatException or InvalidOperationException
                                          || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                _current = _lastRead ?? Shipped();
                _fallbackNote = new LookupNote("RDAP", "bootstrap " + baseUrl,
                    $"could not be read ({e.GetType().Name}: {e.Message}); using {(_lastRead is null ? "the shipped copy" : "the copy read last")}");
                // Try again soon, not at every lookup: a down URL must not add a timeout to each one.
                _expires = time.GetUtcNow() + options.Value.RdapFailureCacheDuration;
            }
            return (_current, _fallbackNote);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The bootstrap lookups use now, without reading the URL (for the readiness check).</summary>
    public RdapBootstrap InUse => _current ?? Shipped();

    private RdapBootstrap Shipped() =>
        _shipped ??= RdapBootstrap.Parse(Files.Select(f => File.ReadAllText(Path.Combine(ShippedDirectory, f))), "shipped IANA bootstrap");

    public void Dispose() => _gate.Dispose();
}
