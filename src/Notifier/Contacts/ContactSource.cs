namespace Notifier.Contacts;

/// <summary>Where an address came from.</summary>
public enum ContactSource
{
    /// <summary>An operator entered or preferred it (per case, domain or network).</summary>
    Manual,

    /// <summary>An entity with role "abuse" on the IP's network in the RIR's RDAP service (RFC 9083).</summary>
    Rdap,

    /// <summary>abuse.net's DNS interface, TXT at &lt;domain&gt;.contacts.abuse.net.</summary>
    AbuseNet,

    /// <summary>RFC 2142 role mailboxes abuse@ and postmaster@ of the registrable domain of the PTR name.</summary>
    Rfc2142,

    /// <summary>The RNAME of a zone's SOA record (RFC 1035 section 3.3.13).</summary>
    Soa,
}
