using System.Text;
using MimeKit;
using MimeKit.Text;

namespace Notifier.Inbox;

/// <summary>
/// The readable text of a message, for the rules that read bodies (bounce text, reply intent). Plain parts are taken
/// as sent, <c>format=flowed</c> ones (RFC 3676) re-joined with MimeKit's <see cref="FlowedToText"/>; an HTML-only
/// message is read with MimeKit's <see cref="HtmlTokenizer"/> (entities decoded, style and script dropped), because a
/// tag-stripping regex keeps <c>&amp;nbsp;</c> and CSS text. Returned copies (message/rfc822 parts) and attached files are not read.
/// </summary>
public static class MessageText
{
    public static string Of(MimeMessage message)
    {
        var plain = new StringBuilder();
        var html = new StringBuilder();
        Collect(message.Body, plain, html);
        return plain.Length > 0 ? plain.ToString() : html.ToString();
    }

    private static void Collect(MimeEntity? entity, StringBuilder plain, StringBuilder html)
    {
        switch (entity)
        {
            case Multipart { Count: 0 } broken:
                // The declared boundary never occurs (broken or indented boundaries): MIME sees no parts, and all
                // the text is in the preamble.
                plain.Append(broken.Preamble).Append('\n').Append(broken.Epilogue).Append('\n');
                break;
            case Multipart multipart:
                foreach (var part in multipart) Collect(part, plain, html);
                break;
            case TextPart { IsAttachment: true }:
                break;
            case TextPart text when text.IsPlain:
                plain.Append(Plain(text)).Append('\n');
                break;
            case TextPart text when text.IsHtml:
                html.Append(HtmlToText(text.Text)).Append('\n');
                break;
        }
    }

    private static string Plain(TextPart part)
    {
        var type = part.ContentType;
        if (!string.Equals(type.Parameters["format"], "flowed", StringComparison.OrdinalIgnoreCase)) return part.Text;
        var flowed = new FlowedToText { DeleteSpace = string.Equals(type.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase) };
        return flowed.Convert(part.Text);
    }

    /// <summary>Text of an HTML document: data outside script/style, a line break at block elements.</summary>
    public static string HtmlToText(string html)
    {
        var sb = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        var skip = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    if (!tag.IsEmptyElement) skip = Math.Max(0, skip + (tag.IsEndTag ? -1 : 1));
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.LI
                    or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.BlockQuote or HtmlTagId.Table:
                    sb.Append('\n');
                    break;
                case HtmlDataToken data when skip == 0:
                    sb.Append(data.Data.Replace('\u00a0', ' '));
                    break;
            }
        }
        return sb.ToString();
    }
}
