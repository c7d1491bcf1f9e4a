using System.Text.RegularExpressions;
using MimeKit;
using Notifier.Contacts;

namespace Notifier.Inbox;

/// <summary>
/// Recognises bounces. Standard ones are RFC 3464 reports (<c>multipart/report; report-type=delivery-status</c>):
/// each per-recipient group of the <c>message/delivery-status</c> part gives Final-Recipient, Action and Status.
/// Non-standard ones (qmail's "failure notice", older Exim and Sendmail, some appliances) come from MAILER-DAEMON or
/// postmaster, or with an empty return path, with a bounce-like subject; their failed addresses are read from the
/// text before the returned copy, next to an SMTP or enhanced status code.
/// </summary>
public static partial class BounceReader
{
    public sealed record FailedRecipient(string Address, string Action, string? Status, string? Diagnostic);

    public sealed record Bounce(string Rule, IReadOnlyList<FailedRecipient> Recipients, MimeMessage? Original, string? OriginalMessageId, string? OriginalSubject);

    public static Bounce? Read(MimeMessage message)
    {
        if (message.Body is MultipartReport report && report.ReportType?.Equals("delivery-status", StringComparison.OrdinalIgnoreCase) == true)
        {
            var recipients = new List<FailedRecipient>();
            foreach (var status in message.BodyParts.OfType<MessageDeliveryStatus>())
            {
                foreach (var group in status.StatusGroups.Skip(1))
                {
                    var address = AddressOf(group["Final-Recipient"]) ?? AddressOf(group["Original-Recipient"]);
                    if (address is null) continue;
                    recipients.Add(new FailedRecipient(address, (group["Action"] ?? "failed").Trim().ToLowerInvariant(),
                        group["Status"]?.Trim(), Unfold(group["Diagnostic-Code"])));
                }
            }
            var (original, id, subject) = OriginalOf(message);
            return new Bounce("RFC 3464 delivery-status report", recipients, original, id, subject);
        }
        if (!LooksLikeBounce(message, out var rule)) return null;
        var (orig, origId, origSubject) = OriginalOf(message);
        return new Bounce(rule, FailedFromText(message), orig, origId, origSubject);
    }

    private static bool LooksLikeBounce(MimeMessage message, out string rule)
    {
        rule = "";
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var local = from.Split('@')[0].ToLowerInvariant();
        var daemon = local is "mailer-daemon" or "postmaster" or "mail-daemon" or "mailerdaemon";
        var nullSender = message.Headers["Return-Path"]?.Trim() == "<>";
        var subject = message.Subject ?? "";
        var bouncySubject = BounceSubject().IsMatch(subject);
        if ((daemon || nullSender) && bouncySubject)
        {
            rule = $"non-standard bounce: sender {(daemon ? from : "<> (null return path)")} and subject \"{subject}\"";
            return true;
        }
        return false;
    }

    /// <summary>Addresses in the text before the returned copy, each near a 4xx/5xx or enhanced status code.</summary>
    private static List<FailedRecipient> FailedFromText(MimeMessage message)
    {
        var text = message.TextBody ?? message.HtmlBody ?? "";
        var cut = ReturnedCopy().Match(text);
        if (cut.Success) text = text[..cut.Index];
        var ours = message.To.Mailboxes.Select(m => m.Address.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var found = new List<FailedRecipient>();
        foreach (Match m in AddressInText().Matches(text))
        {
            var address = ContactAddress.Normalize(m.Value);
            if (address is null || ours.Contains(address) || address.StartsWith("mailer-daemon@", StringComparison.Ordinal) || address.StartsWith("postmaster@", StringComparison.Ordinal)) continue;
            if (found.Any(f => f.Address == address)) continue;
            var window = text.Substring(m.Index, Math.Min(400, text.Length - m.Index));
            var code = StatusCode().Match(window);
            var line = code.Success ? window[code.Index..].Split('\n')[0].Trim() : null;
            // The enhanced status code (RFC 3463) says more than the reply code; take it when the text has one.
            var enhanced = EnhancedCode().Match(window);
            var status = enhanced.Success ? enhanced.Value : code.Success ? code.Value : null;
            var action = status is null || status.StartsWith('5') ? "failed" : "delayed";
            found.Add(new FailedRecipient(address, action, status, line));
        }
        return found;
    }

    /// <summary>The returned message (message/rfc822 or text/rfc822-headers) and its Message-ID and subject.</summary>
    private static (MimeMessage? Message, string? MessageId, string? Subject) OriginalOf(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MessagePart>())
        {
            if (part.Message is { } m) return (m, string.IsNullOrEmpty(m.MessageId) ? null : m.MessageId, m.Subject);
        }
        var text = message.TextBody ?? "";
        var id = OriginalMessageIdInText().Match(text);
        var subject = OriginalSubjectInText().Match(text);
        return (null, id.Success ? id.Groups[1].Value : null, subject.Success ? subject.Groups[1].Value.Trim() : null);
    }

    /// <summary><c>rfc822; user@example.org</c> → <c>user@example.org</c>, normalised.</summary>
    private static string? AddressOf(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var semi = field.IndexOf(';', StringComparison.Ordinal);
        return ContactAddress.Normalize((semi >= 0 ? field[(semi + 1)..] : field).Trim().Trim('<', '>'));
    }

    private static string? Unfold(string? value) => value is null ? null : Regex.Replace(value, @"\s+", " ").Trim();

    [GeneratedRegex(@"(undeliver|undelivered|delivery (status notification|has failed|failure|failed)|failure notice|returned mail|mail delivery (failed|failure|subsystem)|could not be delivered|non[- ]?delivery|nicht zustellbar|unzustellbar)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"^(-{2,}.*(below this line is a copy|original message|this is a copy of the message|returned message|message headers follow).*|Original message follows\.?)\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnedCopy();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-=]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+", RegexOptions.CultureInvariant)]
    private static partial Regex AddressInText();

    [GeneratedRegex(@"\b[45]\.\d{1,3}\.\d{1,3}\b|\b[45]\d\d\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusCode();

    [GeneratedRegex(@"\b[45]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"^Message-ID:\s*<([^>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMessageIdInText();

    [GeneratedRegex(@"^Subject:\s*(.+)$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalSubjectInText();
}
