using System.Globalization;

namespace Notifier.Tests.Lab;

/// <summary>
/// The settings every service a lab test starts has in common, in one place: probing allowed on loopback (the lab's
/// relays are there), the lab's canary mailbox in Dovecot read every second, contact discovery kept off the network,
/// and a desk address of its own. Each test adds what its story needs (an outbox, a smarthost, a metrics port).
/// </summary>
public static class LabServiceSettings
{
    /// <param name="deskDomain">The desk's domain (<see cref="NewDeskDomain"/>): its Message-IDs are unique in the lab's shared mailboxes.</param>
    /// <param name="fleet">
    /// The fleet's canary domain and mailbox instead of the lab's own, for a test that runs beside the lab collection
    /// (a service polling a mailbox moves every message it finds, so two services must not share one).
    /// </param>
    public static Dictionary<string, string> For(Lab lab, string deskDomain, bool fleet = false)
    {
        var imap = lab.EndPoint("IMAP");
        var mailbox = fleet ? "NOTIFIER_LAB_FLEET_" : "NOTIFIER_LAB_";
        return new(StringComparer.Ordinal)
        {
            ["Probing:AllowPrivateTargets"] = "true",
            ["Probing:CanaryDomain"] = lab[mailbox + "CANARY_DOMAIN"],
            // The tests report one lab relay after another; a target's own minimum interval would only make them wait.
            ["Probing:MinIntervalPerTarget"] = "00:00:00",
            ["Inbox:Host"] = imap.Address.ToString(),
            ["Inbox:Port"] = imap.Port.ToString(CultureInfo.InvariantCulture),
            ["Inbox:Tls"] = "None",
            ["Inbox:User"] = lab[mailbox + "IMAP_USER"],
            ["Inbox:Password"] = lab[mailbox + "IMAP_PASSWORD"],
            ["Inbox:PollInterval"] = "00:00:01",
            // Port 9 (discard) on loopback has no listener: every public lookup (RDAP, DNS) fails at once and nothing
            // leaves the machine; the contacts come from manual rules.
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
            ["Contacts:RdapBootstrapUrl"] = "http://127.0.0.1:9/rdap/bootstrap.json",
            ["Contacts:UseAbuseNet"] = "false",
            ["Contacts:DnsTimeout"] = "00:00:01",
            ["Contacts:DnsRetries"] = "0",
            ["Contacts:RdapTimeout"] = "00:00:02",
            ["Notices:DeskAddress"] = $"notices@{deskDomain}",
        };
    }

    /// <summary>The same, for the in-process service (<see cref="Hosting.NotifierFactory"/>), with <paramref name="extra"/> on top.</summary>
    public static Dictionary<string, string?> For(Lab lab, string deskDomain, IReadOnlyDictionary<string, string?> extra)
    {
        var settings = For(lab, deskDomain).ToDictionary(s => s.Key, s => (string?)s.Value, StringComparer.Ordinal);
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    /// <summary>A desk domain no other service of this run uses (<paramref name="tag"/> says whose it is in a mailbox).</summary>
    public static string NewDeskDomain(char tag) => $"{tag}{Guid.NewGuid():N}"[..13] + ".test";
}
