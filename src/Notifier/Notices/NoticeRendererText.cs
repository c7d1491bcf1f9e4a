using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace Notifier.Notices;

/// <summary>
/// Turns a template rendered in <see cref="NoticeFormat.Text"/> into the plain-text part, and the subject into a
/// header-safe line.
/// <para>
/// Why this way: the text part comes from the same Razor template as the HTML part (one text, two forms), and
/// HtmlRenderer can only write HTML. So the markup parts (templates/Markup/) write no tags in text mode, only
/// text and two private-use marks, and this class decodes the result. Decoding is exact: the renderer
/// HTML-encodes every value (HtmlEncoder), and WebUtility.HtmlDecode reverses that encoding, so a host name with
/// <c>&lt;</c> or <c>&amp;</c> comes back as written. Whitespace follows HTML's own rule, not the template
/// file's indentation: runs collapse to one space, and only the marks make lines. That keeps the text part
/// independent of how an editor indents a .razor file (Razor components trim some whitespace and keep other
/// whitespace, which is no basis for a format scripts parse).
/// </para>
/// <para>
/// The line mark is written as raw markup (<see cref="EndLine"/>), while every value is encoded, so a U+E000 inside
/// a host name arrives as <c>&amp;#xE000;</c>: the text is split at the raw marks before decoding, and no value can
/// start a line of its own.
/// </para>
/// </summary>
public static partial class NoticeRendererText
{
    /// <summary>Ends a line (U+E000, private use: no template or sane value writes it).</summary>
    public const char LineBreak = '\uE000';

    /// <summary>What the markup parts write to end a line: the mark as raw markup, never encoded like a value.</summary>
    public static readonly MarkupString EndLine = new(LineBreak.ToString());

    /// <summary>A space that survives collapsing and is never a place to wrap (facts, transcripts, commands).</summary>
    public const char HardSpace = '\uE001';

    /// <summary>Prose is wrapped here; fact and listing lines never are (RFC 5322 §2.1.1 recommends 78).</summary>
    public const int WrapColumn = 76;

    /// <summary>A value as one fact line or listing line: its spaces kept, any line break in it made a space.</summary>
    public static string Hard(string? value) =>
        string.IsNullOrEmpty(value) ? "" : OneLine(value).Replace(' ', HardSpace);

    /// <summary>A value with each run of control characters (CR LF, TAB, NEL, …) and line separators made one space.</summary>
    public static string OneLine(string value)
    {
        var sb = new StringBuilder(value.Length);
        var inBreak = false;
        foreach (var ch in value)
        {
            var isBreak = char.IsControl(ch) || ch is '\u2028' or '\u2029' or LineBreak or HardSpace;
            if (!isBreak) sb.Append(ch);
            else if (!inBreak) sb.Append(' ');
            inBreak = isBreak;
        }
        return sb.ToString();
    }

    public static string Finish(string rendered)
    {
        var lines = new List<string>();
        foreach (var piece in rendered.Split(LineBreak))
        {
            // A mark that came encoded came from a value: a space, like any other control in a value.
            var raw = Whitespace().Replace(WebUtility.HtmlDecode(piece).Replace(LineBreak, ' '), " ");
            foreach (var wrapped in Wrap(raw.Trim(' ')))
            {
                var line = wrapped.Replace(HardSpace, ' ').TrimEnd();
                // One blank line at most between blocks, none at the start.
                if (line.Length == 0 && (lines.Count == 0 || lines[^1].Length == 0)) continue;
                lines.Add(line);
            }
        }
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// The subject: the template's words as one line behind the case tag (RT's <c>[tag #id]</c> place, so every
    /// reply tool keeps it). Every control character becomes a space, so no case field can add a header line.
    /// </summary>
    public static string Subject(string caseReference, string rendered)
    {
        var words = Whitespace().Replace(OneLine(WebUtility.HtmlDecode(rendered)), " ").Trim();
        var tag = Whitespace().Replace(OneLine(caseReference), " ").Trim();
        return words.Length == 0 ? $"[{tag}]" : $"[{tag}] {words}";
    }

    private static IEnumerable<string> Wrap(string line)
    {
        while (line.Length > WrapColumn)
        {
            var cut = line.LastIndexOf(' ', WrapColumn);
            if (cut <= 0) cut = line.IndexOf(' ', WrapColumn);
            if (cut <= 0) break;
            yield return line[..cut];
            line = line[(cut + 1)..];
        }
        yield return line;
    }

    [GeneratedRegex(@"[ \t\r\n\f\v]+")]
    private static partial Regex Whitespace();
}
