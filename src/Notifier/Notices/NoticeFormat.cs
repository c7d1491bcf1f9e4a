namespace Notifier.Notices;

/// <summary>
/// Which part of a notice a template is being rendered for. A template is written once; the markup parts in
/// templates/Markup/ write each paragraph, fact and listing as HTML, as plain-text lines, or (for the subject)
/// not at all, so the HTML and the text part can never say different things.
/// </summary>
public enum NoticeFormat
{
    Html,
    Text,
    Subject,
}
