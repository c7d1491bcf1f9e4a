using System.Net;
using System.Net.Sockets;

namespace Notifier.Probing;

/// <summary>
/// The relay-test variants, strongest evidence first. Covers nmap's smtp-open-relay 16 forms
/// (nmap/scripts/smtp-open-relay.nse), the seed page's percent hack and partially-open test
/// (sender in the target's own hosted domain), and Nessus smtp_relay2's unqualified and localhost senders.
/// Every recipient ends at the canary domain: the probe never names a third party.
/// </summary>
public static class RelayVariants
{
    public static IReadOnlyList<RelayVariant> Build(VariantContext c)
    {
        var ip = IpLiteral(c.TargetAddress);
        var host = c.TargetHostName ?? ip;
        var canary = $"{c.CanaryLocalPart}@{c.CanaryDomain}";
        var f = c.SenderLocalPart;
        var t = c.CanaryLocalPart;
        var d = c.CanaryDomain;
        var ipSender = $"{f}@{ip}";
        // Only the senders in our own domain carry the return path: the others (null, the target's own domain, IP
        // literal, localhost, unqualified) are what the relay rules are tested with and must stay as they are.
        var ours = c.ReturnPath ?? $"{f}@{c.SenderDomain}";

        var list = new List<RelayVariant>
        {
            // Direct: the recipient names the canary domain; only the sender varies.
            new("plain", VariantClass.Direct, ours, canary),
            new("null-sender", VariantClass.Direct, "", canary),
        };

        // The seed's partially-open test: "set the sender to a name at your domain (postmaster usually works)".
        // Hosting setups often relay for anything whose sender is one of their hosted domains.
        foreach (var domain in OwnDomains(c.TargetHostName))
            list.Add(new($"sender-own-domain-postmaster:{domain}", VariantClass.Direct, $"postmaster@{domain}", canary));

        list.Add(new("sender-target-host", VariantClass.Direct, $"{f}@{host}", canary));
        list.Add(new("sender-ip-literal", VariantClass.Direct, ipSender, canary));
        list.Add(new("sender-unqualified", VariantClass.Direct, f, canary));
        list.Add(new("sender-localhost", VariantClass.Direct, $"{f}@localhost", canary));

        // Source routes (RFC 5321 §3.6.1): accepted ones are real relays.
        list.Add(new("source-route-ip", VariantClass.SourceRoute, ipSender, $"@{ip}:{canary}"));
        list.Add(new("source-route-host", VariantClass.SourceRoute, ipSender, $"@{host}:{canary}"));

        // Routed through the target's own domain: weaker evidence until the canary arrives.
        list.Add(new("percent-hack", VariantClass.Routed, ours, $"{t}%{d}@{host}"));
        list.Add(new("percent-ip-literal", VariantClass.Routed, ipSender, $"{t}%{d}@{ip}"));
        list.Add(new("percent-host", VariantClass.Routed, ipSender, $"{t}%{d}@{host}"));
        list.Add(new("quoted-at", VariantClass.Routed, ipSender, $"\"{t}@{d}\""));
        list.Add(new("quoted-percent", VariantClass.Routed, ipSender, $"\"{t}%{d}\""));
        list.Add(new("double-at-ip", VariantClass.Routed, ipSender, $"{t}@{d}@{ip}"));
        list.Add(new("quoted-at-ip", VariantClass.Routed, ipSender, $"\"{t}@{d}\"@{ip}"));
        list.Add(new("double-at-host", VariantClass.Routed, ipSender, $"{t}@{d}@{host}"));
        list.Add(new("bang-path", VariantClass.Routed, ipSender, $"{d}!{t}"));
        list.Add(new("bang-path-ip", VariantClass.Routed, ipSender, $"{d}!{t}@{ip}"));
        list.Add(new("bang-path-host", VariantClass.Routed, ipSender, $"{d}!{t}@{host}"));

        // Without a host name the host forms equal the IP forms: send each distinct envelope once.
        return list
            .DistinctBy(v => (v.MailFrom, v.RcptTo))
            .ToList();
    }

    /// <summary><c>[192.0.2.1]</c> or <c>[IPv6:2001:db8::1]</c> (RFC 5321 §4.1.3).</summary>
    public static string IpLiteral(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6
            ? $"[IPv6:{address}]"
            : $"[{(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)}]";

    /// <summary>
    /// The domains the server likely hosts, from its own name: the name's parent (mail.hosted.example →
    /// hosted.example) and the name itself. Without the Public Suffix List this keeps at least two labels.
    /// </summary>
    public static IEnumerable<string> OwnDomains(string? hostName)
    {
        if (string.IsNullOrEmpty(hostName) || hostName.StartsWith('[')) yield break;
        var labels = hostName.TrimEnd('.').Split('.');
        if (labels.Length >= 3) yield return string.Join('.', labels[1..]);
        if (labels.Length >= 2) yield return hostName.TrimEnd('.');
    }
}
