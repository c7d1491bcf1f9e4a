using System.Net;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// The service's one owner of <c>Probing:AllowPrivateTargets</c> (labs and tests): whether a private, loopback,
/// link-local or reserved address may be reported and probed. Intake, the cases API, the pages, the inbox and the
/// CLI ask this policy instead of each reading <see cref="ProbingOptions"/> and passing the flag along; the rules
/// of what counts as private stay in Probing's <see cref="TargetGuard"/>, which the probe engine applies itself.
/// </summary>
public sealed class TargetPolicy(bool allowPrivateTargets)
{
    /// <summary>Public addresses only: the production default.</summary>
    public static TargetPolicy PublicOnly { get; } = new(false);

    /// <summary>Private targets allowed, as in the lab.</summary>
    public static TargetPolicy PrivateAllowed { get; } = new(true);

    /// <summary>The policy that <c>Probing:AllowPrivateTargets</c> sets.</summary>
    public static TargetPolicy From(IOptions<ProbingOptions> probing)
    {
        ArgumentNullException.ThrowIfNull(probing);
        return probing.Value.AllowPrivateTargets ? PrivateAllowed : PublicOnly;
    }

    public bool AllowsPrivateTargets { get; } = allowPrivateTargets;

    /// <summary>
    /// Whether a loopback Received hop is our own host talking to itself (a content filter re-injecting mail). With
    /// private targets allowed the relay itself may sit on loopback (the lab), so such a hop is not skipped.
    /// </summary>
    public bool TreatsLoopbackHopsAsOurs => !AllowsPrivateTargets;

    /// <summary>Why this policy refuses to probe <paramref name="address"/> (private, loopback …), or null when it may be probed.</summary>
    public string? RefusalOf(IPAddress address) => AllowsPrivateTargets ? null : TargetGuard.RestrictionOf(address);

    /// <summary>
    /// Refuses private, loopback, link-local and reserved addresses (the rules of <see cref="TargetGuard"/>) unless
    /// private targets are allowed.
    /// </summary>
    public IntakeError? Check(RelayAddress relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var why = RefusalOf(relay.IPAddress);
        return why is null
            ? null
            : new IntakeError("address", $"{relay.Address} is {why} address space, not a public mail server; such targets are refused unless Probing:AllowPrivateTargets is set");
    }
}
