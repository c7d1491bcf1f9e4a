using System.Text.RegularExpressions;
using Notifier.Contacts;

namespace Notifier.Cases;

/// <summary>
/// Names the network an escalation goes to from the recipient's own provenance: the RDAP "ip network" whose abuse
/// entity gave that address (RFC 9083 §5.4: handle, name, range). Read from the stored evidence lines rather than
/// looked up again, because those lines are what the lookup found when it chose the address (and what the operator
/// saw on the case page); a fresh RDAP query at send time could answer differently, and a notice must not name a
/// network its recipient was not chosen for. The lines are written by Contacts/Rdap/RdapFetch.Evidence as
/// <c>200 ip network 192.0.0.0/16 NET-HANDLE (Name); abuse: abuse@example.net (entity ABUSE-1)</c>.
/// </summary>
public static partial class NoticeUpstreamNetwork
{
    /// <summary>
    /// <c>NET-HANDLE (Name) 192.0.0.0/16</c> for the last RDAP network in the evidence whose abuse contacts include
    /// <paramref name="recipient"/> (the trail runs from the most specific network up, so the last is the one that
    /// named it); null when no RDAP network in the evidence names it.
    /// </summary>
    public static string? Describe(string recipient, IEnumerable<ContactEvidence> evidence)
    {
        string? named = null;
        foreach (var e in evidence)
        {
            if (!e.Query.StartsWith("RDAP GET ", StringComparison.Ordinal)) continue;
            var m = NetworkAnswer().Match(e.Answer);
            if (!m.Success || !m.Groups["abuse"].Value.Contains(recipient, StringComparison.OrdinalIgnoreCase)) continue;
            named = string.Join(' ', new[]
            {
                m.Groups["handle"].Value,
                m.Groups["name"].Success ? $"({m.Groups["name"].Value})" : "",
                m.Groups["range"].Value,
            }.Where(part => part.Length > 0));
        }
        return named;
    }

    [GeneratedRegex(@"^\s*(?:\d{3}\s+)?ip network (?<range>\S+(?: - \S+)?)(?: (?<handle>[^\s(;]+))?(?: \((?<name>[^;]*)\))?; abuse: (?<abuse>.*)$")]
    private static partial Regex NetworkAnswer();
}
