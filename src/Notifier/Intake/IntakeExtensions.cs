using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Intake;

public static class IntakeExtensions
{
    /// <summary>
    /// The intake parsers (CSV relay lists, spam samples) and their options, bound from <c>Intake</c> and validated
    /// at start, and the <see cref="TargetPolicy"/> read from <c>Probing:AllowPrivateTargets</c>. No database: API
    /// handlers and CLI verbs call the parsers and store what they return.
    /// </summary>
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IntakeOptions>()
            .BindConfiguration(IntakeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(sp => TrustedReceivers.From(sp.GetRequiredService<IOptions<IntakeOptions>>().Value.TrustedReceivers));
        builder.Services.TryAddSingleton(sp => TargetPolicy.From(sp.GetRequiredService<IOptions<ProbingOptions>>()));
        builder.Services.TryAddSingleton<RelayCsvParser>();
        builder.Services.TryAddSingleton<SpamSampleParser>();
        return builder;
    }
}
