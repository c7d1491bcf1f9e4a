namespace Notifier.Notices;

/// <summary>
/// A notice as the templates wrote it: the subject (with the <c>[NR-000123]</c> tag) and the two bodies.
/// Headers, attachments and the DKIM signature are added when the MIME message is built.
/// </summary>
public sealed record RenderedNotice(string Subject, string Html, string Text);
