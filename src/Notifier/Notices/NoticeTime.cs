using System.Globalization;

namespace Notifier.Notices;

/// <summary>The one time format of the fact blocks and the evidence: ISO 8601, UTC, to the second.</summary>
public static class NoticeTime
{
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
