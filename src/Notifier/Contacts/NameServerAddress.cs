using System.Net;

namespace Notifier.Contacts;

/// <summary>Parses the <c>Contacts:NameServers</c> entries: <c>ip</c>, <c>ip:port</c>, <c>[v6]:port</c> or a bare IPv6 address.</summary>
public static class NameServerAddress
{
    public static bool TryParse(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        // IPAddress.TryParse would accept "[v6]:port" and drop the port, so brackets go to IPEndPoint.
        if (!s.StartsWith('[') && IPAddress.TryParse(s, out var bare))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }
        if (!IPEndPoint.TryParse(s, out var parsed) || parsed.Port == 0) return false;
        endPoint = parsed;
        return true;
    }
}
