using System.ComponentModel.DataAnnotations;

namespace Notifier.ReferenceData;

/// <summary>The <c>ReferenceData</c> configuration section: keeping the Public Suffix List fresh; validated at start.</summary>
public sealed class ReferenceDataOptions
{
    public const string Section = "ReferenceData";

    /// <summary>The list's official address, named in the warning and the docs.</summary>
    public const string PublicSuffixListOfficialUrl = "https://publicsuffix.org/list/public_suffix_list.dat";

    /// <summary>
    /// Where the list is downloaded from (<see cref="PublicSuffixListOfficialUrl"/> or a mirror of the desk's).
    /// Empty, the default: nothing is downloaded and the shipped copy is used; a service talks to no third party
    /// the operator has not named, and labs have no internet.
    /// </summary>
    public string? PublicSuffixListUrl { get; set; }

    /// <summary>Where downloaded copies are kept (with a <c>.json</c> of their ETag and dates); relative to the working directory.</summary>
    [Required]
    public string Directory { get; set; } = "data/reference";

    /// <summary>
    /// When each node refreshes its copies (cron, UTC; five fields, or six with seconds first): daily, off the hour.
    /// publicsuffix.org asks for no more than once a day per client.
    /// </summary>
    [Required]
    public string Cron { get; set; } = "23 4 * * *";

    /// <summary>A copy in use older than this makes /healthz/ready Degraded and is logged as a warning.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A download larger than this is refused (the list is about 300 KB).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 16 * 1024 * 1024;
}
