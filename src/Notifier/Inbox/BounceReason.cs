using System.Text.RegularExpressions;

namespace Notifier.Inbox;

/// <summary>
/// Why a delivery failed, in the classes an operator acts on. The enhanced status code decides when it is specific
/// (RFC 3463 §3: X.1.1 bad mailbox, X.1.2 bad host, X.2.2 mailbox full, X.4.7 delivery time expired, X.7.x
/// security or policy); a generic code leaves it to the diagnostic's words.
/// </summary>
public static partial class BounceReason
{
    public const string UnknownUser = "unknown-user";
    public const string MailboxFull = "mailbox-full";
    public const string Policy = "policy";
    public const string HostUnknown = "host-unknown";
    public const string Expired = "expired";
    public const string Other = "other";

    public static string Of(string? status, string? diagnostic, string action)
    {
        var detail = status is null ? null : status[(status.IndexOf('.', StringComparison.Ordinal) + 1)..];
        switch (detail)
        {
            case "1.1" or "1.0" or "1.10" or "1.6" or "2.1": return UnknownUser;
            case "1.2" or "4.4": return HostUnknown;
            case "2.2" or "2.3": return MailboxFull;
            case "4.7": return Expired;
        }
        if (detail?.StartsWith("7.", StringComparison.Ordinal) == true) return Policy;
        var words = diagnostic ?? "";
        if (UserWords().IsMatch(words)) return UnknownUser;
        if (FullWords().IsMatch(words)) return MailboxFull;
        if (PolicyWords().IsMatch(words)) return Policy;
        if (HostWords().IsMatch(words)) return HostUnknown;
        if (ExpiredWords().IsMatch(words) || action == "expired") return Expired;
        return Other;
    }

    [GeneratedRegex(@"user unknown|unknown user|no such (user|mailbox|recipient)|does(n't| not) exist|not listed|invalid (recipient|address|mailbox)|mailbox unavailable|recipient address rejected|address rejected|unknown recipient|not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserWords();

    [GeneratedRegex(@"mailbox (is )?full|over ?quota|quota exceeded|exceeds? (the )?(allowed|storage)|insufficient (storage|space)|mailfolder is full", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FullWords();

    [GeneratedRegex(@"blocked|block ?list|blacklist|spam|policy|denied|rejected for policy|not allowed|dmarc|spf|dkim|reputation", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PolicyWords();

    [GeneratedRegex(@"host (not found|unknown)|unrouteable|no mx|domain (not found|does not exist)|name server|nxdomain", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostWords();

    [GeneratedRegex(@"expired|timed? ?out|too long|retry time|gave up", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExpiredWords();
}
