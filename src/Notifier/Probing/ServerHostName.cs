using System.Net;
using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// The domain a server names itself by in its greeting or EHLO answer (RFC 5321 §4.1.1.1 and §4.2: the first
/// word after the code), which some relay-test variants address.
/// </summary>
internal static partial class ServerHostName
{
    /// <summary>The first word after the code when it looks like a host name (not an IP address), lower case.</summary>
    public static string? From(SmtpReply reply)
    {
        var first = reply.Lines.Count > 0 && reply.Lines[0].Length > 4 ? reply.Lines[0][4..].Split(' ', 2)[0].TrimEnd('.') : "";
        return HostNameRegex().IsMatch(first) && !IPAddress.TryParse(first, out _) ? first.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"^(?=.{4,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$")]
    private static partial Regex HostNameRegex();
}
