using System.ComponentModel.DataAnnotations;

namespace Notifier.Contacts;

/// <summary>The <c>Contacts</c> configuration section; validated at start.</summary>
public sealed class ContactsOptions
{
    public const string Section = "Contacts";

    /// <summary>Resolvers as <c>ip[:port]</c>. Empty: the system's resolvers (/etc/resolv.conf).</summary>
    public List<string> NameServers { get; set; } = [];

    /// <summary>
    /// Base URL to read IANA's RDAP bootstrap files (<c>ipv4.json</c>, <c>ipv6.json</c>) from, e.g.
    /// <c>https://data.iana.org/rdap/</c>, on the reference data's schedule (ReferenceData:Cron); the copy read is
    /// stored in ReferenceData:Directory. Empty: the copy shipped in Contacts/Data (or the one stored earlier).
    /// </summary>
    public string? RdapBootstrapUrl { get; set; }

    /// <summary>Per DNS try; DnsClient's LookupClientOptions.Timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(3);

    [Range(0, 5)]
    public int DnsRetries { get; set; } = 1;

    /// <summary>Per RDAP request, including redirects.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan RdapTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an RDAP answer serves other addresses of the same network (registrations change rarely).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RdapCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a failed RDAP lookup (404, 5xx, bad JSON, timeout) is remembered for its block.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RdapFailureCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Parent networks (RDAP "up" links) to follow: their abuse contacts are the failover and escalation path.</summary>
    [Range(0, 5)]
    public int RdapParentDepth { get; set; } = 1;

    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRdapResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>TXT answers larger than this are ignored: abuse.net answers with a few addresses, more is an error or abuse.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxTxtBytes { get; set; } = 2048;

    /// <summary>PTR names of one IP we follow (some hosts publish dozens).</summary>
    [Range(1, 20)]
    public int MaxPtrNames { get; set; } = 3;

    /// <summary>Ask abuse.net's DNS interface; turn off where its terms or the desk's policy do not allow it.</summary>
    public bool UseAbuseNet { get; set; } = true;

    [Required]
    public string AbuseNetZone { get; set; } = "contacts.abuse.net";

    /// <summary>Use the PRIVATE section of the Public Suffix List too (see <see cref="PublicSuffixList"/> for why not).</summary>
    public bool IncludePrivateSuffixes { get; set; }
}
