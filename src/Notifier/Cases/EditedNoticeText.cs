using System.Net;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// A notice an operator reworded (<see cref="Notice.EditedText"/>) as its message carries it: the text part is the
/// operator's text as typed; the HTML part is that same text, HTML-encoded inside <c>&lt;pre&gt;</c>. Both parts are
/// kept (rather than a text part only) so the message has the shape of every other notice (multipart/alternative,
/// RFC 2046 §5.1.4, built and DKIM-signed by the same builder), and a mail client that prefers HTML shows the
/// operator's words, never the template wording they replaced. <c>&lt;pre&gt;</c> keeps the line breaks and the
/// alignment of the transcript excerpt and telnet steps. The subject and the evidence attachments stay the template's.
/// </summary>
public static class EditedNoticeText
{
    /// <summary>The maximum length of an operator's text (a first notice with its excerpt is a few thousand characters).</summary>
    public const int MaxLength = 20_000;

    /// <summary><paramref name="template"/> itself when nothing was edited.</summary>
    public static RenderedNotice Apply(RenderedNotice template, string? editedText)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (editedText is null) return template;
        var html = $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(template.Subject)}</title></head>\n"
            + $"<body><pre>{WebUtility.HtmlEncode(editedText)}</pre></body></html>\n";
        return template with { Text = editedText, Html = html };
    }
}
