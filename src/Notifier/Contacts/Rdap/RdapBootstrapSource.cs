namespace Notifier.Contacts.Rdap;

/// <summary>
/// The bootstrap the lookups use: the copy shipped in Contacts/Data (IANA's ipv4.json and ipv6.json) until the
/// reference data (ReferenceData/RdapBootstrapRefresh) puts a stored or downloaded one in its place. Lookups never
/// download it themselves: the copy is read from disk at start and refreshed on the reference data's schedule, so the
/// service and the CLI use the same copy, and a registry outage never adds a timeout to a lookup.
/// </summary>
public sealed class RdapBootstrapSource
{
    public static readonly string ShippedDirectory = Path.Combine(AppContext.BaseDirectory, "Contacts", "Data");

    /// <summary>The bootstrap registry's files for IP addresses (RFC 9224 section 5).</summary>
    public static readonly IReadOnlyList<string> Files = ["ipv4.json", "ipv6.json"];

    private static readonly Lazy<RdapBootstrap> ShippedCopy = new(() =>
        RdapBootstrap.Parse(Files.Select(f => File.ReadAllText(Path.Combine(ShippedDirectory, f))), "shipped IANA bootstrap"));

    // One reference, swapped whole: a lookup reads one bootstrap and its note, never one without the other.
    private volatile InUseCopy? _inUse;

    public static RdapBootstrap Shipped => ShippedCopy.Value;

    /// <summary>The bootstrap lookups use now.</summary>
    public RdapBootstrap InUse => _inUse?.Bootstrap ?? Shipped;

    /// <summary>
    /// The bootstrap and, when its last refresh failed, a note for the lookup's evidence saying that an older copy
    /// answered (so an operator reading a case knows the map may be stale).
    /// </summary>
    public (RdapBootstrap Bootstrap, LookupNote? Note) Current => _inUse is { } c ? (c.Bootstrap, c.Note) : (Shipped, null);

    /// <summary>Puts <paramref name="bootstrap"/> in use (a stored or fresh copy), with the note of a failed refresh if any.</summary>
    public void ReplaceWith(RdapBootstrap bootstrap, LookupNote? note = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        _inUse = new InUseCopy(bootstrap, note);
    }

    /// <summary>Keeps the bootstrap in use and says why a newer one could not be had.</summary>
    public void NoteFailedRefresh(LookupNote note) => _inUse = new InUseCopy(InUse, note);

    private sealed record InUseCopy(RdapBootstrap Bootstrap, LookupNote? Note);
}
