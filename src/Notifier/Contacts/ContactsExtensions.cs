using System.Net;
using DnsClient;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notifier.Contacts.Rdap;
using Notifier.Telemetry;

namespace Notifier.Contacts;

public static class ContactsExtensions
{
    /// <summary>
    /// Contact discovery: options, the sources, the RDAP HttpClient and the one DnsClient <see cref="ILookupClient"/>
    /// of the process, built from <c>Contacts:NameServers</c>. AddProbing registers a default LookupClient with
    /// TryAdd; this method REPLACES any earlier registration, so the order of AddProbing and AddContacts does not
    /// matter and probing resolves through the configured servers too (a lab or a desk behind internal resolvers
    /// wants that for both).
    /// </summary>
    public static IHostApplicationBuilder AddContacts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ContactsOptions>()
            .BindConfiguration(ContactsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.NameServers.All(s => NameServerAddress.TryParse(s, out _)),
                "Contacts:NameServers entries must be ip or ip:port ([v6]:port for IPv6 with a port)")
            .Validate(o => string.IsNullOrWhiteSpace(o.RdapBootstrapUrl)
                    || (Uri.TryCreate(o.RdapBootstrapUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Contacts:RdapBootstrapUrl must be an absolute http(s) URL (or empty for the shipped copy)")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<ILookupClient>();
        services.AddSingleton<ILookupClient>(sp => CreateLookupClient(sp.GetRequiredService<IOptions<ContactsOptions>>().Value));

        services.AddHttpClient(RdapClient.HttpClientName, (sp, client) =>
        {
            var o = sp.GetRequiredService<IOptions<ContactsOptions>>().Value;
            client.Timeout = o.RdapTimeout;
            client.MaxResponseContentBufferSize = o.MaxRdapResponseBytes;
            client.DefaultRequestHeaders.Accept.ParseAdd("application/rdap+json");
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json;q=0.8");
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Notifier-contacts/1.0");
        });

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ContactsOptions>>().Value;
            return PublicSuffixList.Load(Path.Combine(RdapBootstrapSource.ShippedDirectory, "public_suffix_list.dat"), o.IncludePrivateSuffixes);
        });
        services.AddNotifierMetrics();
        services.TryAddSingleton<ContactDns>();
        services.TryAddSingleton<RdapBootstrapSource>();
        services.TryAddSingleton<RdapClient>();
        services.TryAddSingleton<RdapCache>();
        services.TryAddSingleton<RdapLookup>();
        services.TryAddSingleton<ReverseDnsLookup>();
        services.TryAddSingleton<AbuseNetLookup>();
        services.TryAddSingleton<Rfc2142Lookup>();
        services.TryAddSingleton<SoaLookup>();
        services.TryAddSingleton<ContactLookup>();
        return builder;
    }

    /// <summary>
    /// ThrowDnsErrors off: NXDOMAIN and SERVFAIL are answers to record, not exceptions. TCP fallback on, so a
    /// truncated (large) answer is read whole and judged by size rather than silently cut.
    /// </summary>
    public static LookupClient CreateLookupClient(ContactsOptions o)
    {
        var servers = o.NameServers.Select(s => NameServerAddress.TryParse(s, out var ep) ? ep : null).OfType<IPEndPoint>().ToArray();
        var options = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        options.Timeout = o.DnsTimeout;
        options.Retries = o.DnsRetries;
        options.UseCache = true;
        options.ThrowDnsErrors = false;
        options.UseTcpFallback = true;
        options.ContinueOnDnsError = true;
        return new LookupClient(options);
    }
}
