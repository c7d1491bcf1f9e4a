using System.Text;
using System.Text.RegularExpressions;
using Notifier.Cases;

namespace Notifier.Inbox;

/// <summary>
/// What a human reply wants, by transparent rules on its own text (quoted text removed), first match wins:
/// opt-out, abusive, wrong-contact, false-positive, fixed, else other. The rule that matched is stored with the
/// message; an operator can change the intent.
/// </summary>
public static partial class ReplyIntent
{
    public const string Fixed = "fixed";
    public const string FalsePositive = "false-positive";
    public const string WrongContact = "wrong-contact";
    public const string OptOut = "opt-out";
    public const string Abusive = "abusive";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Fixed, FalsePositive, WrongContact, OptOut, Abusive, Other];

    private static readonly (string Intent, Regex Rule)[] Rules =
    [
        (OptOut, OptOutRule()),
        (Abusive, AbusiveRule()),
        (WrongContact, WrongContactRule()),
        (FalsePositive, FalsePositiveRule()),
        (Fixed, FixedRule()),
    ];

    /// <summary>What an intent asks of its case (<see cref="CaseReplies"/> does it); the others only inform the operator.</summary>
    public static ReplyRequest RequestOf(string? intent) => intent switch
    {
        Fixed => ReplyRequest.Retest,
        OptOut => ReplyRequest.StopMailingSender,
        _ => ReplyRequest.None,
    };

    /// <summary>The intent and the words that decided it (<c>other</c> with no words when nothing matched).</summary>
    public static (string Intent, string? Evidence) Classify(string? subject, string? body)
    {
        var text = (StripReplyPrefix(subject) + "\n" + OwnText(body ?? "")).Trim();
        foreach (var (intent, rule) in Rules)
        {
            var m = rule.Match(text);
            if (m.Success) return (intent, m.Value.Trim());
        }
        return (Other, null);
    }

    /// <summary>The reply's own words: quoted lines and everything from the quoted original on are dropped.</summary>
    public static string OwnText(string body)
    {
        var sb = new StringBuilder();
        foreach (var line in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (QuoteHeader().IsMatch(line)) break;
            if (line.TrimStart().StartsWith('>')) continue;
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static string StripReplyPrefix(string? subject)
    {
        var s = subject ?? "";
        // Our own notice subject is quoted back in "Re:" replies; only what the sender wrote counts.
        return ReplyPrefix().IsMatch(s) ? "" : s;
    }

    [GeneratedRegex(@"^\s*((re|aw|sv|fw|fwd|wg)\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"^(\s*On .{3,200} wrote:\s*$|\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}|\s*From:\s.+\s*$|\s*Am .{3,200} schrieb .*:\s*$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuoteHeader();

    [GeneratedRegex(@"\b(unsubscribe|opt[ -]?out|remove (me|us|this address|our address)|take (me|us) off|stop (sending|emailing|mailing|contacting)|do not (contact|email|e-mail|write to) (me|us)|don'?t (contact|email|e-mail|write to) (me|us)|no (more|further) (emails|e-mails|messages|mails))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptOutRule();

    [GeneratedRegex(@"\b(fuck\w*|shit\w*|idiots?|morons?|assholes?|bastards?|scum|go to hell|piss off|screw you|extortion|i will sue|scammers?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AbusiveRule();

    [GeneratedRegex(@"\b(wrong (address|contact|person|department|recipient|company)|not (our|my) (server|network|ip|address|host|customer|machine)|not (responsible|in charge) for|no longer (ours|our customer|in use by us|assigned to us)|we do not (own|operate|manage|run) (this|that)|(belongs|assigned) to (another|a different)|please contact (the|your|their) (isp|provider|hoster|hosting|customer|owner))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WrongContactRule();

    [GeneratedRegex(@"\b(false positive|not an open relay|is not (an )?open|isn'?t (an )?open|not a relay|never (was )?(an )?open|requires? (smtp )?auth(entication)?|closed relay|(your|the) test is (wrong|broken|flawed)|does not relay|doesn'?t relay|delivers? (it )?locally|accepts? (and|then) (drops|discards|rejects))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FalsePositiveRule();

    [GeneratedRegex(@"\b(fixed|(has|have) been (fixed|closed|secured|patched|reconfigured|resolved|shut down|disabled)|(we|i) (have )?(closed|secured|patched|reconfigured|disabled|shut down|fixed)|now (closed|secured|fixed)|resolved|no longer (an )?open|relaying (is )?(now )?disabled)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FixedRule();
}
