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
        builder.Services.TryAddSingleton<TargetResolver>();
        builder.Services.TryAddSingleton<ProbeThrottle>();
        builder.Services.TryAddSingleton<IRelayProbe, RelayProbe>();
        return builder;
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var n) && n >= 32;
    }
}
