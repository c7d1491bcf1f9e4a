using System.Globalization;
using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// The wait a server asks for in a temporary (4xx) reply, when it names one. SMTP has no field for it (RFC 5321
/// §4.2.5 leaves the retry schedule to the client), so greylisters write it into the text: "450 4.7.1 Greylisted,
/// please try again in 300 seconds", "451 4.7.1 Try again in 5 minutes", "Greylisted for 60 seconds". Replies that
/// name no wait (postgrey's "450 4.2.0 Greylisted, see http://…") give null.
/// </summary>
public static partial class ServerRetryDelay
{
    /// <summary>The longest wait any of <paramref name="replies"/> asks for, or null when none names one.</summary>
    public static TimeSpan? From(IEnumerable<string?> replies)
    {
        TimeSpan? longest = null;
        foreach (var reply in replies)
        {
            if (reply is null || reply.Length == 0 || reply[0] != '4') continue;
            foreach (Match m in WaitText().Matches(reply))
            {
                if (!long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) continue;
                var wait = m.Groups["unit"].Value.StartsWith("m", StringComparison.OrdinalIgnoreCase) ? TimeSpan.FromMinutes(n) : TimeSpan.FromSeconds(n);
                if (longest is null || wait > longest) longest = wait;
            }
        }
        return longest;
    }

    [GeneratedRegex(@"\b(?:try\s+again|retry|wait|greylisted)\b[^0-9\r\n]{0,30}?\b(?<n>\d{1,6})\s*(?<unit>seconds?|secs?|s|minutes?|mins?|m)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WaitText();
}
