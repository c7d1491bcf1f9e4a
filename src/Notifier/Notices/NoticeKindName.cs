namespace Notifier.Notices;

/// <summary>A <see cref="NoticeKind"/> as people and query strings write it: its name.</summary>
public static class NoticeKindName
{
    /// <summary>
    /// The kind named <paramref name="text"/> (any letter case). Numbers are refused: <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>
    /// alone reads "2" as a defined kind, which no template is called.
    /// </summary>
    public static bool TryParse(string? text, out NoticeKind kind)
    {
        kind = default;
        return text is not null && !text.Any(char.IsDigit) && Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }
}
