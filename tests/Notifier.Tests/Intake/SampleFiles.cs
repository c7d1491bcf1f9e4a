using Microsoft.Extensions.Options;
using Notifier.Intake;

namespace Notifier.Tests.Intake;

/// <summary>The files under Intake/Samples (copied to the output directory) and the abuse desk they were written for.</summary>
internal static class SampleFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Intake", "Samples", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The MTAs of the abuse desk in the samples: Postfix and Exim in 10.20/16, Exchange in 10.30/16, IPv6 in fd20:ab::/48.</summary>
    public static TrustedReceivers Desk { get; } = TrustedReceivers.From(new TrustedReceiversOptions
    {
        Networks = ["10.20.0.0/16", "10.30.0.0/16", "fd20:ab::/48"],
    });

    public static IOptions<IntakeOptions> Options(Action<IntakeOptions>? configure = null)
    {
        var options = new IntakeOptions();
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }
}
