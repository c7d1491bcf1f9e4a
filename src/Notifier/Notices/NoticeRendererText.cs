using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace Notifier.Notices;

/// <summary>
/// Turns a template rendered in <see cref="NoticeFormat.Text"/> into the plain-text part, and the subject into a
/// header-safe line.
/// <para>
/// Why this way: the text part comes from the same Razor template as the HTML part (one text, two forms), and
/// the renderer writes only HTML (NoticeTreeWriter, as ASP.NET Core's HtmlRenderer). So the markup parts (templates/Markup/) write no tags in text mode, only
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

    /// <summary>
    /// The plain-text part from the template's text rendering: each piece between raw marks decoded, its whitespace
    /// collapsed, wrapped at <see cref="WrapColumn"/>, hard spaces made spaces, at most one blank line in a row.
    /// </summary>
    /// <remarks>
    /// One pass over each piece into one buffer, not a string per step (decode, replace, collapse, trim, wrap,
    /// replace, trim): a notice is about a hundred pieces, and the steps' strings were most of the cost of this
    /// method. The rules are the same, step by step; NoticeRendererTextTests pins them.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Finish(string rendered)
    {
        var text = new StringBuilder(rendered.Length);
        // Decoding never lengthens a piece, and a piece is never longer than the whole.
        var collapsed = new char[rendered.Length];
        var lastBlank = true; // no blank line at the start
        foreach (var piece in rendered.Split(LineBreak))
        {
            var line = collapsed.AsSpan(0, Collapse(WebUtility.HtmlDecode(piece), collapsed)).Trim(' ');
            // Wrap at the last space at or before the column, else at the first after it; a line with no space to
            // wrap at stays long. Hard spaces are not spaces here, so fact and listing lines are never wrapped.
            while (line.Length > WrapColumn)
            {
                var cut = line[..(WrapColumn + 1)].LastIndexOf(' ');
                if (cut <= 0)
                {
                    var after = line[WrapColumn..].IndexOf(' ');
                    cut = after < 0 ? -1 : WrapColumn + after;
                }
                if (cut <= 0) break;
                AddLine(text, line[..cut], ref lastBlank);
                line = line[(cut + 1)..];
            }
            AddLine(text, line, ref lastBlank);
        }
        // No blank line at the end (one at most can be there: AddLine keeps no two in a row), and the text ends
        // with a line break, even when it has no line.
        if (text.Length == 0) return "\n";
        if (lastBlank) text.Length--;
        return text.ToString();
    }

    /// <summary>
    /// A decoded piece with every encoded line mark made a space (a mark that came encoded came from a value: a
    /// space, like any other control in a value) and each run of HTML whitespace (space, TAB, CR, LF, FF, VT) one space.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Collapse(string decoded, Span<char> into)
    {
        var length = 0;
        var inRun = false;
        foreach (var ch in decoded)
        {
            var isSpace = ch is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' or LineBreak;
            if (!isSpace) into[length++] = ch;
            else if (!inRun) into[length++] = ' ';
            inRun = isSpace;
        }
        return length;
    }

    /// <summary>A wrapped line with its hard spaces made spaces and its trailing whitespace cut; a second blank line in a row is left out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddLine(StringBuilder text, ReadOnlySpan<char> wrapped, ref bool lastBlank)
    {
        var end = wrapped.Length;
        while (end > 0 && (wrapped[end - 1] == HardSpace || char.IsWhiteSpace(wrapped[end - 1]))) end--;
        if (end == 0 && lastBlank) return;
        var start = text.Length;
        text.Append(wrapped[..end]);
        text.Replace(HardSpace, ' ', start, end);
        text.Append('\n');
        lastBlank = end == 0;
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

    [GeneratedRegex(@"[ \t\r\n\f\v]+")]
    private static partial Regex Whitespace();
}
