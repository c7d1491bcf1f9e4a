using DnsClient;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Notifier.Probing;

public static class ProbingExtensions
{
    /// <summary>The probe engine and its options. No database, no Hangfire: the CLI uses it alone.</summary>
    public static IHostApplicationBuilder AddProbing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProbingOptions>()
            .BindConfiguration(ProbingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.TokenKey) || IsKey(o.TokenKey), "Probing:TokenKey must be base64 of at least 32 bytes")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ILookupClient>(_ => new LookupClient());
        builder.Services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ProbingOptions>>().Value;
            if (!string.IsNullOrEmpty(o.TokenKey)) return ProbeTokenKey.FromBase64(o.TokenKey);
            return string.IsNullOrEmpty(o.TokenKeyFile) ? ProbeTokenKey.Ephemeral() : ProbeTokenKey.FromFile(o.TokenKeyFile);
        });
        builder.Services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ProbingOptions>>().Value;
            if (string.IsNullOrEmpty(o.DkimKeyFile)) return new DkimKey(null);
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<TestMessageSigner>();
            var domain = o.DkimDomain ?? o.SenderDomainOrCanary();
            return new DkimKey(TestMessageSigner.FromFile(o.DkimKeyFile, domain, o.DkimSelector, record =>
            {
                // Printed, not only logged: a first run must show the operator what to publish.
                Console.Error.WriteLine($"A DKIM key for test messages was created in {o.DkimKeyFile}. Publish this DNS record:\n{record}");
                log.LogWarning("Created DKIM key {KeyFile}; publish the DNS record {Record}", o.DkimKeyFile, record);
            }, sp.GetRequiredService<TimeProvider>()));
        });
        builder.Services.TryAddSingleton<TargetResolver>();
        builder.Services.TryAddSingleton<ProbeThrottle>();
        builder.Services.TryAddSingleton<IRelayProbe, RelayProbe>();
        return builder;
    }

    /// <summary>
    /// Creates the token and DKIM keys at start rather than at the first probe: a first run prints the DKIM DNS
    /// record to publish (docs/inbox.md), and a key file that cannot be written stops the service at once.
    /// </summary>
    public static IServiceProvider PrepareProbingKeys(this IServiceProvider services)
    {
        services.GetRequiredService<ProbeTokenKey>();
        services.GetRequiredService<DkimKey>();
        return services;
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var n) && n >= 32;
    }
}
