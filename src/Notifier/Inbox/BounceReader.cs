using System.Text.RegularExpressions;
using MimeKit;
using Notifier.Contacts;

namespace Notifier.Inbox;

/// <summary>
/// Recognises bounces and names the failed recipients. In order of trust:
/// <list type="number">
/// <item>RFC 3464 per-recipient fields (Final-Recipient, Action, Status, Diagnostic-Code) in a
/// <c>message/delivery-status</c> part, wherever it sits (some Office 365 and appliance reports send it outside a
/// <c>multipart/report</c>, or with broken boundaries so the fields end up in the text);</item>
/// <item>the <c>X-Failed-Recipients</c> header (Exim, Google);</item>
/// <item>for non-standard bounces (qmail's "failure notice", old Sendmail, appliances, localized reports) the text
/// before the returned copy: only an address that the text ties to the failure (on a line saying why, or alone on a
/// line after "the following address failed") is taken, never Message-IDs, queue ids or footer addresses.</item>
/// </list>
/// MimeKit parses the MIME; the field and text rules are hand-written because no library of ours reads non-standard
/// bounces (the sisimai project's rules are the model).
/// </summary>
public static partial class BounceReader
{
    /// <summary>
    /// One recipient a report is about. <see cref="Action"/> is RFC 3464 §2.3.3's <c>failed</c> or <c>delayed</c>
    /// (the non-standard <c>expired</c> — the MTA gave up — is read as <c>failed</c>).
    /// </summary>
    public sealed record FailedRecipient(string Address, string Action, string? Status, string? Diagnostic)
    {
        /// <summary>
        /// Only a failure with no 4.x.x status is permanent (RFC 3463 §3.1: class 4 is "persistent transient"): an MTA
        /// that gives up after a 4.x.x says nothing certain about the mailbox.
        /// </summary>
        public bool Permanent => Action == "failed" && Status?.StartsWith('4') != true;

        public string Reason => BounceReason.Of(Status, Diagnostic, Action);
    }

    public sealed record Bounce(string Rule, IReadOnlyList<FailedRecipient> Recipients, MimeMessage? Original, string? OriginalMessageId, string? OriginalSubject);

    public static Bounce? Read(MimeMessage message)
    {
        var text = MessageText.Of(message);
        var statusParts = message.BodyParts.Where(p => p.ContentType.IsMimeType("message", "delivery-status")).ToList();
        var isReport = message.Body is MultipartReport { ReportType: { } type } && type.Equals("delivery-status", StringComparison.OrdinalIgnoreCase);
        var xFailed = message.Headers.Where(h => h.Field.Equals("X-Failed-Recipients", StringComparison.OrdinalIgnoreCase)).SelectMany(h => AddressInText().Matches(h.Value).Select(m => m.Value)).ToList();
        string rule;
        if (isReport) rule = "RFC 3464 delivery-status report";
        else if (statusParts.Count > 0) rule = "message/delivery-status part (RFC 3464) outside a multipart/report";
        else if (xFailed.Count > 0) rule = "X-Failed-Recipients header (Exim, Google)";
        else if (LooksLikeBounce(message, text) is { } why) rule = why;
        else return null;

        var cut = BeforeReturnedCopy(text);
        var recipients = FromFields(statusParts.SelectMany(FieldGroupsOf));
        if (recipients.Count == 0)
        {
            // Broken or indented boundaries: the per-recipient fields arrive as text.
            recipients = FromFields(FieldBlocks(cut));
            if (recipients.Count > 0) rule += "; fields read from the text";
        }
        if (recipients.Count == 0 && xFailed.Count > 0)
        {
            recipients = xFailed.Select(ContactAddress.Normalize).OfType<string>().Distinct()
                .Select(a => WithTextStatus(a, cut)).ToList();
            if (rule != "X-Failed-Recipients header (Exim, Google)") rule += "; recipients from X-Failed-Recipients";
        }
        var (original, id, subject) = ReturnedMessage.Of(message);
        if (recipients.Count == 0 && original?.Body is MultipartReport && Read(original) is { Recipients.Count: > 0 } inner)
        {
            // A gateway (seen from IronPort/Trend Micro) forwarding the real report as its attachment.
            recipients = inner.Recipients.ToList();
            rule += "; recipients from the report it forwards";
        }
        if (recipients.Count == 0) recipients = FailedFromText(cut, message, original);
        return new Bounce(rule, recipients, original, id, subject);
    }

    /// <summary>Per-recipient groups: every group that names a recipient (the first, per-message group may be missing).</summary>
    private static List<FailedRecipient> FromFields(IEnumerable<IReadOnlyDictionary<string, string>> groups)
    {
        var found = new List<FailedRecipient>();
        foreach (var group in groups)
        {
            var address = AddressOf(group.GetValueOrDefault("final-recipient")) ?? AddressOf(group.GetValueOrDefault("original-recipient"));
            if (address is null || found.Any(f => f.Address == address)) continue;
            var diagnostic = Unfold(group.GetValueOrDefault("diagnostic-code"));
            var status = BestStatus(EnhancedCode().Match(group.GetValueOrDefault("status") ?? "") is { Success: true } m ? m.Value : null, diagnostic);
            var action = ActionOf(group.GetValueOrDefault("action"), status, diagnostic);
            if (action is null) continue;
            found.Add(new FailedRecipient(address, action, status, diagnostic));
        }
        return found;
    }

    /// <summary>
    /// RFC 3464 §2.3.3. <c>delivered</c>, <c>relayed</c> and <c>expanded</c> are not failures. A missing Action is
    /// taken from the status class.
    /// </summary>
    private static string? ActionOf(string? field, string? status, string? diagnostic)
    {
        var action = field?.Split('(')[0].Trim().ToLowerInvariant();
        return action switch
        {
            "failed" or "expired" => "failed",
            "delayed" => "delayed",
            "delivered" or "relayed" or "expanded" => null,
            _ => status?.StartsWith('4') == true || (status is null && diagnostic is not null && TransientReply().IsMatch(diagnostic)) ? "delayed" : "failed",
        };
    }

    /// <summary>
    /// The Status field without its comment; a generic code (X.0.0, or the catch-all 4.4.7/5.4.7 "delivery time
    /// expired") gives way to a more specific one of the same class in the diagnostic, which is the receiving server's
    /// own word (RFC 3463 §3: the subject and detail say what failed).
    /// </summary>
    private static string? BestStatus(string? status, string? diagnostic)
    {
        var specific = diagnostic is null ? null : EnhancedCode().Matches(diagnostic).Select(m => m.Value).FirstOrDefault(c => !c.EndsWith(".0.0", StringComparison.Ordinal));
        if (status is null) return specific ?? (diagnostic is null ? null : EnhancedCode().Match(diagnostic) is { Success: true } any ? any.Value : null);
        var generic = status.EndsWith(".0.0", StringComparison.Ordinal) || status.EndsWith(".4.7", StringComparison.Ordinal);
        return generic && specific is not null && specific[0] == status[0] ? specific : status;
    }

    private static IEnumerable<IReadOnlyDictionary<string, string>> FieldGroupsOf(MimeEntity part)
    {
        if (part is MessageDeliveryStatus dsn)
        {
            var groups = new List<IReadOnlyDictionary<string, string>>();
            try
            {
                foreach (var g in dsn.StatusGroups)
                {
                    var d = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var h in g) d.TryAdd(h.Field.ToLowerInvariant(), h.Value);
                    groups.Add(d);
                }
            }
            catch (FormatException)
            {
                groups.Clear();
            }
            if (groups.Any(g => g.ContainsKey("final-recipient") || g.ContainsKey("original-recipient"))) return groups;
        }
        // MimeKit could not split the groups (no blank line between them, bad folding): read the fields as text.
        if (part is not MimePart { Content: not null } mime) return [];
        using var stream = new MemoryStream();
        mime.Content.DecodeTo(stream);
        return FieldBlocks(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// RFC 3464 fields in plain text. A recipient group starts at Original-Recipient, or at Final-Recipient unless it
    /// follows its Original-Recipient (§2.3: Original-Recipient comes first when present); the fields after it belong
    /// to it, folded lines joined.
    /// </summary>
    private static List<IReadOnlyDictionary<string, string>> FieldBlocks(string text)
    {
        var groups = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? last = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var m = DsnField().Match(line);
            if (!m.Success)
            {
                if (last is not null && current is not null && line.Length > 0 && line[0] is ' ' or '\t') current[last] += " " + line.Trim();
                else last = null;
                continue;
            }
            var name = m.Groups[1].Value.ToLowerInvariant();
            var starts = name == "original-recipient"
                || (name == "final-recipient" && (current is null || current.ContainsKey("final-recipient") || !current.ContainsKey("original-recipient")));
            if (starts)
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                groups.Add(current);
            }
            if (current is null) continue;
            current.TryAdd(name, m.Groups[2].Value.Trim());
            last = name;
        }
        return groups.Where(g => g.ContainsKey("final-recipient") || g.ContainsKey("original-recipient")).ToList<IReadOnlyDictionary<string, string>>();
    }

    private static string? LooksLikeBounce(MimeMessage message, string text)
    {
        var mailbox = message.From.Mailboxes.FirstOrDefault();
        var from = mailbox?.Address ?? "";
        var local = from.Split('@')[0].ToLowerInvariant();
        var name = mailbox?.Name ?? "";
        var daemon = DaemonLocal().IsMatch(local) || DaemonName().IsMatch(name)
            // "From: MAILER-DAEMON <>": the address is empty, the display name is all there is.
            || (from.Length == 0 && message.Headers[HeaderId.From] is { } raw && DaemonName().IsMatch(raw));
        var nullSender = message.Headers["Return-Path"]?.Trim() is "<>" or "";
        var subject = message.Subject ?? "";
        var bouncySubject = BounceSubject().IsMatch(subject);
        var body = BounceText().Match(BeforeReturnedCopy(text));
        var sender = daemon ? $"sender {(from.Length == 0 ? name : from)}" : nullSender ? "null return path" : null;
        if (sender is not null && bouncySubject) return $"non-standard bounce: {sender} and subject \"{subject}\"";
        if (sender is not null && body.Success) return $"non-standard bounce: {sender} and text \"{body.Value}\"";
        if (bouncySubject && body.Success) return $"non-standard bounce: subject \"{subject}\" and text \"{body.Value}\"";
        return null;
    }

    /// <summary>The text before the returned copy of our message (its headers name addresses that did not fail).</summary>
    private static string BeforeReturnedCopy(string text)
    {
        var cut = ReturnedCopy().Match(text);
        return cut.Success ? text[..cut.Index] : text;
    }

    /// <summary>
    /// Addresses the text ties to a failure: on a line that says why (a reply code, an enhanced status, or words such
    /// as "user unknown"), or alone on a line (qmail's <c>&lt;user@host&gt;:</c>) next to such words. With none, the
    /// single recipient of the returned copy, when the text names it.
    /// </summary>
    private static List<FailedRecipient> FailedFromText(string text, MimeMessage message, MimeMessage? original)
    {
        var ours = message.To.Mailboxes.Concat(message.From.Mailboxes).Select(m => ContactAddress.Normalize(m.Address)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var hits = new List<(string Address, int Line)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart('>', ' ', '\t');
            if (QuotedHeader().IsMatch(line)) continue;
            foreach (Match m in AddressInText().Matches(line))
            {
                if (IsMessageId(line, m)) continue;
                var address = ContactAddress.Normalize(m.Value);
                if (address is null || ours.Contains(address) || hits.Any(h => h.Address == address)) continue;
                // Alone on its line (qmail's "<user@host>:"), or leading it as Exchange 2003 lists the recipients
                // after "did not reach the following recipient(s)" ("user@host on <date>", the reason indented below).
                var alone = AloneOnLine().IsMatch(line) || (m.Index <= 2 && LeadsLine().IsMatch(line));
                var tied = FailureWords().IsMatch(line.Remove(m.Index, m.Length))
                    || (alone && (Near(lines, i - 4, i, FailureWords()) || Near(lines, i + 1, i + 4, FailureWords())));
                if (tied) hits.Add((address, i));
            }
        }
        if (hits.Count == 0 && original?.To.Mailboxes.ToList() is [var only]
            && ContactAddress.Normalize(only.Address) is { } single && text.Contains(single, StringComparison.OrdinalIgnoreCase) && !ours.Contains(single))
            hits.Add((single, Array.FindIndex(lines, l => l.Contains(single, StringComparison.OrdinalIgnoreCase))));
        var found = new List<FailedRecipient>();
        for (var k = 0; k < hits.Count; k++)
        {
            var end = Math.Min(hits[k].Line + 4, k + 1 < hits.Count && hits[k + 1].Line > hits[k].Line ? hits[k + 1].Line : lines.Length);
            var window = string.Join('\n', lines[hits[k].Line..Math.Max(end, hits[k].Line + 1)]);
            found.Add(RecipientIn(hits[k].Address, window, text));
        }
        return found;
    }

    /// <summary>A recipient named by a header, with the status the text gives next to it.</summary>
    private static FailedRecipient WithTextStatus(string address, string text)
    {
        var at = text.IndexOf(address, StringComparison.OrdinalIgnoreCase);
        var window = at < 0 ? text : text.Substring(at, Math.Min(600, text.Length - at));
        return RecipientIn(address, window, text);
    }

    /// <summary>The recipient with the status and reply line that follow it in <paramref name="window"/>.</summary>
    private static FailedRecipient RecipientIn(string address, string window, string text)
    {
        var line = ReplyCode().Match(window) is { Success: true } code ? window[code.Index..].Split('\n')[0].Trim() : null;
        var enhanced = EnhancedCode().Match(window);
        var status = enhanced.Success ? enhanced.Value : null;
        var transient = status?.StartsWith('4') == true
            || (status is null && line is not null && TransientReply().IsMatch(line))
            || (status is null && line is null && DelayedText().IsMatch(text));
        return new FailedRecipient(address, transient ? "delayed" : "failed", status, line ?? Unfold(window.Split('\n').Skip(1).FirstOrDefault(l => l.Trim().Length > 0)));
    }

    private static bool Near(string[] lines, int from, int to, Regex pattern)
    {
        for (var i = Math.Max(0, from); i < Math.Min(lines.Length, to); i++)
        {
            if (pattern.IsMatch(lines[i])) return true;
        }
        return false;
    }

    private static bool IsMessageId(string line, Match m) =>
        line.StartsWith("Message-ID", StringComparison.OrdinalIgnoreCase) || (m.Index > 0 && line[m.Index - 1] == '<' && MessageIdWord().IsMatch(line[..(m.Index - 1)]));

    /// <summary><c>rfc822; user@example.org</c> → <c>user@example.org</c>, normalised.</summary>
    private static string? AddressOf(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var semi = field.IndexOf(';', StringComparison.Ordinal);
        var value = (semi >= 0 ? field[(semi + 1)..] : field).Trim();
        var m = AddressInText().Match(value);
        return m.Success ? ContactAddress.Normalize(m.Value) : null;
    }

    private static string? Unfold(string? value) => value is null ? null : Regex.Replace(value, @"\s+", " ").Trim();

    [GeneratedRegex(@"^(mailer-?daemon|mail-daemon|postmaster|maildelivery|mail-?delivery(-subsystem)?|bounces?|nobody|mdaemon|mailadmin|returned)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonLocal();

    [GeneratedRegex(@"mailer[- ]?daemon|mail delivery (subsystem|system|service)|postmaster|mail administrator|delivery status notification|microsoft outlook|mail system", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonName();

    // Subjects seen on bounces, English and localized (German, French, Spanish, Italian, Portuguese, Dutch, Japanese).
    [GeneratedRegex(@"undeliver|undelivered|delivery (status|failure|failed|has failed|problem|report|notification|delayed|warning)|failed delivery|delivery fail|failure notice|returned mail|returned to sender|mail (delivery|failure|system error)|could not be delivered|couldn't be delivered|not delivered|non[- ]?delivery|delayed mail|warning: could not send|message (rejected|blocked|bounced)|bounce|nicht zustellbar|unzustellbar|zustellung|fehlgeschlagen|non remis|non distribu|échec|echec de (la )?remise|remise différée|no se (puede|pudo) entregar|no entregad|error de entrega|entrega fallida|notificación de estado|mancata consegna|non recapitabile|não entregue|falha na entrega|onbestelbaar|不達|配信|エラー|未送信|送信失敗|退信|未能送达", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"this is the mail system at host|I'm afraid I wasn't able to deliver|this is the qmail-send program|could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|delivery (to the following recipients? |has )?(failed|has been delayed)|permanent (fatal )?errors?|this is a permanent error|unable to deliver|undeliverable|failed permanently|error delivering your mail|returned to you|message was created automatically by mail delivery software|delivery failure|failed to deliver|rejected (your message|recipient)|has not (yet )?been delivered|Failure Reasons|Could not be delivered to|nicht zugestellt|n'a pas pu être remis|no se ha podido entregar|配信できません", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceText();

    [GeneratedRegex(@"^(-{2,}.*(below this line is a copy|original message|this is a copy of the message|returned message|message headers follow|header of the original message|original headers|undelivered message|unsent message).*|\s*-*\s*Original message follows\.?.*|-+ ?Returned Message ?-+.*|Content-Type: message/rfc822.*)\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnedCopy();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-=/!#$&'*?^`{|}~]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex AddressInText();

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"\b[45]\d\d\b", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyCode();

    [GeneratedRegex(@"^\s*(smtp;\s*)?4\d\d\b|\b4\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex TransientReply();

    [GeneratedRegex(@"delay reason|has been delayed|will (continue|keep) (trying|to try)|will retry|still trying|temporar(y|ily) (error|failure|problem)|not yet been delivered", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelayedText();

    [GeneratedRegex(@"^\s*(Final-Recipient|Original-Recipient|Action|Status|Diagnostic-Code|Remote-MTA|Last-Attempt-Date|Will-Retry-Until)\s*:\s*(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DsnField();

    /// <summary>Lines that quote the original's headers or trace: the addresses there did not fail.</summary>
    [GeneratedRegex(@"^(From|To|Cc|Bcc|Reply-To|Return-Path|Sender|Errors-To|Received|Delivered-To|Message-ID|In-Reply-To|References|X-[A-Za-z0-9-]+|Authentication-Results|DKIM-Signature|ARC-[A-Za-z-]+|Envelope-From)\s*:|^\(?envelope-(from|sender)\b|^(by|for|with|from|id)\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedHeader();

    [GeneratedRegex(@"^<?[^\s<>""]+@[^\s<>""]+>?\s+on\s", RegexOptions.CultureInvariant)]
    private static partial Regex LeadsLine();

    [GeneratedRegex(@"^\s*[*\-•]?\s*[""<]?[^\s<>""]+@[^\s<>""]+[>""]?\s*:?\s*(\[[^\]]*\])?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AloneOnLine();

    [GeneratedRegex(@"\b[245]\d\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b|unknown|no such|not (found|listed|exist|known|available)|does(n't| not) (exist|have)|invalid|rejected|refused|denied|blocked|disabled|suspended|inactive|failed|failure|could not|couldn't|cannot|can't|unable|undeliverable|not be delivered|mailbox|quota|full|over ?limit|exceed|too (large|big)|permanent|error|reason|recipient|original address|address(es)? failed|following address|delivered to|spam|policy|expired|timed? ?out|host|unrouteable|relay", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureWords();

    [GeneratedRegex(@"\b(id|message-id|msgid|queue(d)?( as)?)\s*[:=]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdWord();
}
