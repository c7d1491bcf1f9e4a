namespace Notifier.Notices;

/// <summary>Names of the headers a notice carries beyond the standard ones.</summary>
public static class NoticeHeaders
{
    /// <summary>RFC 3834 §5: marks the notice as sent by a program, so that auto-responders do not answer it.</summary>
    public const string AutoSubmitted = "Auto-Submitted";

    /// <summary>The case reference (<c>NR-000123</c>), for a desk's own tooling and for replies that lose the subject tag.</summary>
    public const string Case = "X-Notifier-Case";

    /// <summary>RFC 2369: how to get no further mail (our mailto, plus the owner page's https URL when there is one).</summary>
    public const string ListUnsubscribe = "List-Unsubscribe";

    /// <summary>RFC 8058: present only with an https URL in <see cref="ListUnsubscribe"/>; value <c>List-Unsubscribe=One-Click</c>.</summary>
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";
}
