using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// Names the mail server software from what it said. Patterns from nmap-service-probes and each MTA's
/// source (see shared/reference/relay-testing.md §4): banners first, then EHLO keywords, then refusal texts.
/// </summary>
public static partial class MtaFingerprint
{
    public const string Unknown = "unknown";

    private static readonly (string Name, Regex Pattern)[] Rules =
    [
        ("Microsoft Exchange", ExchangeRegex()),
        ("Postfix", PostfixRegex()),
        ("Exim", EximRegex()),
        ("Sendmail", SendmailRegex()),
        ("OpenSMTPD", OpenSmtpdRegex()),
        ("Haraka", HarakaRegex()),
        ("qmail", QmailRegex()),
        ("MDaemon", MdaemonRegex()),
        ("hMailServer", HmailRegex()),
        ("Courier", CourierRegex()),
    ];

    /// <summary>The first MTA whose signature appears in the banner, then in the other texts in order.</summary>
    public static string Identify(string? banner, IEnumerable<string> otherTexts)
    {
        var texts = new List<string>();
        if (!string.IsNullOrEmpty(banner)) texts.Add(banner);
        texts.AddRange(otherTexts.Where(t => !string.IsNullOrEmpty(t)));
        foreach (var text in texts)
        {
            foreach (var (name, pattern) in Rules)
            {
                if (pattern.IsMatch(text)) return name;
            }
        }
        return Unknown;
    }

    [GeneratedRegex(@"Microsoft ESMTP MAIL Service|Microsoft Exchange|X-?EXCH50|X-ANONYMOUSTLS|5\.7\.54 .*Unable to relay", RegexOptions.IgnoreCase)]
    private static partial Regex ExchangeRegex();

    // "Syntax: EHLO hostname" is Postfix's answer to a bare EHLO; "Relay access denied" is smtpd_check.c's text.
    [GeneratedRegex(@"\bPostfix\b|Syntax: EHLO hostname|Relay access denied", RegexOptions.IgnoreCase)]
    private static partial Regex PostfixRegex();

    [GeneratedRegex(@"\bExim\b|Syntactically invalid EHLO|relay not permitted", RegexOptions.IgnoreCase)]
    private static partial Regex EximRegex();

    [GeneratedRegex(@"\bSendmail\b|EHLO requires domain address|Relaying denied", RegexOptions.IgnoreCase)]
    private static partial Regex SendmailRegex();

    [GeneratedRegex(@"\bOpenSMTPD\b", RegexOptions.IgnoreCase)]
    private static partial Regex OpenSmtpdRegex();

    [GeneratedRegex(@"\bHaraka\b|I cannot deliver mail for", RegexOptions.IgnoreCase)]
    private static partial Regex HarakaRegex();

    [GeneratedRegex(@"\bqmail\b|list of allowed rcpthosts", RegexOptions.IgnoreCase)]
    private static partial Regex QmailRegex();

    [GeneratedRegex(@"\bMDaemon\b", RegexOptions.IgnoreCase)]
    private static partial Regex MdaemonRegex();

    [GeneratedRegex(@"\bhMailServer\b", RegexOptions.IgnoreCase)]
    private static partial Regex HmailRegex();

    [GeneratedRegex(@"\bCourier\b", RegexOptions.IgnoreCase)]
    private static partial Regex CourierRegex();
}
