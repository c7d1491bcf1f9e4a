using System.Text.RegularExpressions;
using MimeKit;

namespace Notifier.Inbox;

/// <summary>
/// Automatic replies (vacation, ticket-system acknowledgements, read receipts): logged on the case, never acted on,
/// never answered (RFC 3834 §2). Each rule returns its name so the classification can be checked.
/// </summary>
public static partial class AutoReplyRules
{
    public static string? Match(MimeMessage message)
    {
        var h = message.Headers;
        var autoSubmitted = h["Auto-Submitted"]?.Trim();
        if (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return $"Auto-Submitted: {autoSubmitted} (RFC 3834)";
        foreach (var name in new[] { "X-Autoreply", "X-Autorespond", "X-AutoReply-From", "X-Mail-Autoreply" })
        {
            if (h.Contains(name)) return $"{name} header";
        }
        var precedence = h["Precedence"]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "auto_reply" or "auto-reply") return $"Precedence: {precedence}";
        var suppress = h["X-Auto-Response-Suppress"];
        if (suppress is not null && SuppressAll().IsMatch(suppress)) return $"X-Auto-Response-Suppress: {suppress.Trim()} (Exchange automatic message)";
        if (h.Contains("X-MS-Exchange-Inbox-Rules-Loop")) return "X-MS-Exchange-Inbox-Rules-Loop header (Exchange inbox rule)";
        if (h.Contains("X-RT-Loop-Prevention") || h.Contains("RT-Loop-Prevention")) return "RT-Loop-Prevention header (RT ticket system)";
        if (message.Body is MultipartReport { ReportType: { } type } && type.Equals("disposition-notification", StringComparison.OrdinalIgnoreCase))
            return "read receipt (multipart/report; report-type=disposition-notification, RFC 8098)";
        var subject = message.Subject ?? "";
        if (AutoSubject().IsMatch(subject)) return $"out-of-office subject \"{subject}\"";
        return null;
    }

    [GeneratedRegex(@"\b(All|OOF|AutoReply)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SuppressAll();

    [GeneratedRegex(@"^\s*(\[[^\]]*\]\s*)?(auto(matic)?[ -]?(reply|response|answer|antwort)|autoreply|out of (the )?office|abwesenheits?notiz|vacation|away from (the )?office|r[ée]ponse automatique|respuesta autom[áa]tica|auto:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoSubject();
}
