using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The probe throttle's minimum interval per target (<c>Probing:MinIntervalPerTarget</c>), for the pages that must not
/// ask faster (the owner page's retest limit): pages do not read the probing options themselves (ArchitectureTests).
/// </summary>
public sealed class ProbeSpacing(IOptions<ProbingOptions> probing)
{
    public TimeSpan PerTarget => probing.Value.MinIntervalPerTarget;
}
