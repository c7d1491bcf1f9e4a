using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit.Utils;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// The parts of one Received header. RFC 5321 §4.4 gives the shape,
/// <c>from Extended-Domain by Extended-Domain [via] [with] [id] [for] ; date-time</c>, where TCP-info in comments
/// carries the address the receiver saw; each MTA writes it its own way:
/// <list type="bullet">
/// <item>Postfix, Sendmail, Gmail: <c>from helo (rdns [1.2.3.4]) by mx (Postfix) with ESMTPS id …</c>;
///   <c>unknown</c> when reverse DNS failed; <c>[IPv6:2001:db8::1]</c> for IPv6.</item>
/// <item>Exim: <c>from [1.2.3.4] (helo=x) by mx with esmtp (Exim 4.96)</c>, or
///   <c>from rdns ([1.2.3.4]:port helo=x)</c>: the name before the comment is the one Exim verified.</item>
/// <item>Exchange: <c>from X (1.2.3.4) by Y (10.0.0.1) with Microsoft SMTP Server (…) id 15.1…</c>.</item>
/// <item>qmail: <c>from unknown (HELO x) (1.2.3.4) by host with SMTP</c>.</item>
/// </list>
/// The address is taken from the comment the receiver wrote, never from the HELO name (<c>helo=</c>, <c>HELO x</c>),
/// which the client chooses; only when no comment has one is an address literal after <c>from</c> used (Exim, qmail).
/// </summary>
internal sealed partial record ReceivedStamp(
    string Raw,
    bool HasFrom,
    string? FromName,
    string? FromReverseDns,
    IPAddress? FromAddress,
    string? By,
    IPAddress? ByAddress,
    string? With,
    DateTimeOffset? Date)
{
    private static readonly string[] Keywords = ["from", "by", "via", "with", "id", "for"];

    /// <summary>Protocols that mean no network client: the message was handed over on the receiving host or by our own delivery agent.</summary>
    private static readonly string[] LocalProtocols = ["local", "lmtp", "lmtps", "mapi", "uucp"];

    /// <summary>Submitted on the receiving host itself, with no connecting client to blame.</summary>
    public bool IsLocalSubmission =>
        !HasFrom || (FromAddress is null && With is not null && LocalProtocols.Contains(With, StringComparer.OrdinalIgnoreCase));

    public static ReceivedStamp Parse(string value)
    {
        var raw = Unfold(value);
        var semicolon = LastTopLevelSemicolon(raw);
        var stamp = semicolon < 0 ? raw : raw[..semicolon];
        DateTimeOffset? date = semicolon >= 0 && DateUtils.TryParse(raw[(semicolon + 1)..].Trim(), out var d) ? d : null;

        var clauses = Clauses(Tokenize(stamp));
        clauses.TryGetValue("from", out var from);
        clauses.TryGetValue("by", out var by);
        clauses.TryGetValue("with", out var with);

        string? fromName = null, reverseDns = null;
        IPAddress? fromAddress = null;
        if (from is not null)
        {
            (fromName, reverseDns, fromAddress) = ReadFrom(from);
        }
        var byAddress = by?.Comments.Select(c => FindAddress(c).Address).FirstOrDefault(a => a is not null);
        return new ReceivedStamp(raw, from is not null, fromName, reverseDns, fromAddress, HostName(by?.Value), byAddress,
            with is null ? null : string.Join(' ', new[] { with.Value }.Concat(with.Words).OfType<string>()), date);
    }

    private static (string? Name, string? ReverseDns, IPAddress? Address) ReadFrom(Clause from)
    {
        var value = from.Value;
        string? helo = null;
        var eximOrQmail = false;
        IPAddress? address = null;
        string? reverseDns = null;
        foreach (var comment in from.Comments)
        {
            var text = comment;
            var heloMatch = HeloClause().Match(text);
            if (heloMatch.Success)
            {
                helo ??= heloMatch.Groups["name"].Value;
                eximOrQmail = true;
                text = HeloClause().Replace(text, " ");
            }
            if (address is null)
            {
                (address, reverseDns) = FindAddress(text);
            }
        }
        var valueAddress = value is null ? null : IpAddressText.Parse(StripPort(value));
        address ??= valueAddress;
        if (eximOrQmail)
        {
            // Exim and qmail put the name they verified (or "unknown") first and the HELO in the comment.
            return (helo ?? value, valueAddress is null ? HostName(value) : null, address);
        }
        return (value, reverseDns, address);
    }

    /// <summary>The first IP address in a comment and the host name written just before it (Postfix: <c>rdns [ip]</c>).</summary>
    private static (IPAddress? Address, string? ReverseDns) FindAddress(string comment)
    {
        var words = comment.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var address = IpAddressText.Parse(StripPort(words[i].TrimEnd(';', ')')));
            if (address is null) continue;
            var name = i > 0 && IpAddressText.Parse(StripPort(words[i - 1])) is null ? HostName(words[i - 1]) : null;
            return (address, name);
        }
        return (null, null);
    }

    /// <summary><c>[1.2.3.4]:5555</c> (Exim with a port) → <c>[1.2.3.4]</c>.</summary>
    private static string StripPort(string word)
    {
        var close = word.IndexOf(']', StringComparison.Ordinal);
        return word.StartsWith('[') && close > 0 ? word[..(close + 1)] : word;
    }

    /// <summary>A host name as written, without a trailing dot or a Sendmail ident prefix (<c>IDENT:user@</c>); null for <c>unknown</c>.</summary>
    private static string? HostName(string? word)
    {
        if (string.IsNullOrEmpty(word)) return null;
        var at = word.LastIndexOf('@');
        if (at >= 0) word = word[(at + 1)..];
        word = word.TrimEnd('.');
        if (word.Length == 0 || word.Equals("unknown", StringComparison.OrdinalIgnoreCase)) return null;
        return word.StartsWith('[') || word.Contains('(', StringComparison.Ordinal) ? null : word;
    }

    private static string Unfold(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The semicolon before the date: the last one outside comments, quotes and brackets.</summary>
    private static int LastTopLevelSemicolon(string s)
    {
        var last = -1;
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\') { i++; continue; }
            if (quoted) { quoted = c != '"'; continue; }
            switch (c)
            {
                case '"' when depth == 0: quoted = true; break;
                case '(': depth++; break;
                case ')' when depth > 0: depth--; break;
                case ';' when depth == 0: last = i; break;
            }
        }
        return last;
    }

    private readonly record struct Token(bool IsComment, string Text);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == ' ') { i++; continue; }
            if (c == '(')
            {
                var sb = new StringBuilder();
                var depth = 1;
                for (i++; i < s.Length && depth > 0; i++)
                {
                    var d = s[i];
                    if (d == '\\' && i + 1 < s.Length) { sb.Append(s[++i]); continue; }
                    if (d == '(') depth++;
                    else if (d == ')' && --depth == 0) break;
                    // A nested comment such as Sendmail's "(may be forged)" becomes plain words.
                    sb.Append(d is '(' or ')' ? ' ' : d);
                }
                i++;
                tokens.Add(new Token(true, sb.ToString().Trim()));
                continue;
            }
            var start = i;
            var close = c switch { '[' => ']', '<' => '>', '"' => '"', _ => '\0' };
            if (close != '\0')
            {
                var end = s.IndexOf(close, i + 1);
                i = end < 0 ? s.Length : end + 1;
            }
            while (i < s.Length && s[i] is not (' ' or '(')) i++;
            tokens.Add(new Token(false, s[start..i]));
        }
        return tokens;
    }

    private sealed class Clause
    {
        public string? Value { get; set; }

        public List<string> Words { get; } = [];

        public List<string> Comments { get; } = [];
    }

    /// <summary>Groups tokens under the keyword before them; the first clause of each keyword counts.</summary>
    private static Dictionary<string, Clause> Clauses(List<Token> tokens)
    {
        var clauses = new Dictionary<string, Clause>(StringComparer.Ordinal);
        Clause? current = null;
        foreach (var token in tokens)
        {
            if (token.IsComment)
            {
                current?.Comments.Add(token.Text);
                continue;
            }
            var keyword = token.Text.ToLowerInvariant();
            if (Keywords.Contains(keyword) && (current is null || current.Value is not null))
            {
                current = new Clause();
                clauses.TryAdd(keyword, current);
                continue;
            }
            if (current is null) continue;
            if (current.Value is null) current.Value = token.Text;
            else current.Words.Add(token.Text);
        }
        return clauses;
    }

    /// <summary>Exim's <c>helo=name</c>, qmail's <c>HELO name</c>: what the client called itself.</summary>
    [GeneratedRegex(@"(?:\bhelo=|^\s*(?:HELO|EHLO)\s+)(?<name>[^\s)]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeloClause();
}
