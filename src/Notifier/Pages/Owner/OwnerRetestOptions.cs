using System.ComponentModel.DataAnnotations;

namespace Notifier.Pages.Owner;

/// <summary>
/// The <c>OwnerPage</c> settings of "I fixed it — test again now" (issue 14): how often a relay's owner may have it
/// retested. Per case (and so per token: every token of a case counts towards the case) from the case's
/// <c>owner-retest</c> events in the database, so the limits hold across restarts and nodes; per client address with
/// a fixed-window limiter in each node. Validated at start.
/// </summary>
public sealed class OwnerRetestOptions
{
    public const string Section = "OwnerPage";

    /// <summary>
    /// At most one owner retest of a case this often. Never faster than <c>Probing:MinIntervalPerTarget</c> either
    /// (<see cref="EffectiveEvery"/>): the throttle would only make the request wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "OwnerPage:RetestEvery must be between 1 second and 7 days")]
    public TimeSpan RetestEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many owner retests of a case in any 24 hours.</summary>
    [Range(1, 100, ErrorMessage = "OwnerPage:RetestsPerDay must be between 1 and 100")]
    public int RetestsPerDay { get; set; } = 4;

    /// <summary>At most this many owner retests asked from one client address per hour, whatever the case (one person may run several relays).</summary>
    [Range(1, 1000, ErrorMessage = "OwnerPage:ClientRetestsPerHour must be between 1 and 1000")]
    public int ClientRetestsPerHour { get; set; } = 6;

    /// <summary>The spacing in force: <see cref="RetestEvery"/>, or the probe throttle's per-target minimum when that is longer.</summary>
    public TimeSpan EffectiveEvery(TimeSpan minIntervalPerTarget) => RetestEvery > minIntervalPerTarget ? RetestEvery : minIntervalPerTarget;
}
