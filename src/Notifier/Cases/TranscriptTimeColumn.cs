using System.Globalization;
using System.Text;

namespace Notifier.Cases;

/// <summary>
/// The storage form of a probe result's JSON that <see cref="ProbeResultStorage"/> compresses: every transcript line's
/// timestamp (<c>{"at":"2026-12-04T21:15:38.8416195+00:00","dir":…</c>) taken out of the line and written, as the
/// difference in ticks from the line before, into one column after the JSON. A closed Postfix's transcript has about
/// 190 lines; their timestamps in place were about 950 of the 2,500 compressed bytes (Brotli cannot predict the
/// changing digits between the lines' text), as one column of differences about 450 (issue 17). Lossless: each
/// timestamp is written back exactly as it was (every one is checked on the way in; a result whose timestamps would
/// not come back byte for byte, or whose JSON already holds an object starting with "dir", is stored as it is).
/// </summary>
public static class TranscriptTimeColumn
{
    /// <summary>The start of the storage form; a stored result without it is the JSON itself (it starts with '{').</summary>
    public const string Marker = "~t1\n";

    private const string LineStart = "{\"at\":\"";
    private const string DirStart = "{\"dir\":\"";
    private const string AfterAt = "\",\"dir\":\"";

    /// <summary>How System.Text.Json writes a DateTimeOffset (ISO 8601, trailing zeros of the fraction dropped).</summary>
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz";

    /// <summary>The storage form of <paramref name="json"/>, or <paramref name="json"/> itself when it has no transcript timestamps to take out or they would not come back exactly.</summary>
    public static string Split(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Contains(DirStart, StringComparison.Ordinal)) return json;
        var body = new StringBuilder(json.Length);
        var times = new StringBuilder();
        var previous = 0L;
        var from = 0;
        while (true)
        {
            var at = json.IndexOf(LineStart, from, StringComparison.Ordinal);
            if (at < 0) break;
            var valueStart = at + LineStart.Length;
            var valueEnd = json.IndexOf('"', valueStart);
            if (valueEnd < 0 || string.CompareOrdinal(json, valueEnd, AfterAt, 0, AfterAt.Length) != 0) return json;
            var text = json.AsSpan(valueStart, valueEnd - valueStart);
            if (!DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                || time.Offset != TimeSpan.Zero || !text.SequenceEqual(Write(time.Ticks))) return json;
            body.Append(json, from, at - from).Append('{');
            if (times.Length > 0) times.Append(',');
            times.Append((time.Ticks - previous).ToString(CultureInfo.InvariantCulture));
            previous = time.Ticks;
            // The line goes on with "dir": its comma and opening quote are what follow the timestamp's closing quote.
            from = valueEnd + 2;
        }
        if (from == 0) return json;
        body.Append(json, from, json.Length - from);
        return string.Concat(Marker, body.ToString(), "\n", times.ToString());
    }

    /// <summary>The JSON that <see cref="Split"/> took apart (text without the <see cref="Marker"/> is returned as it is).</summary>
    public static string Join(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Marker, StringComparison.Ordinal)) return stored;
        var split = stored.LastIndexOf('\n');
        var body = stored.AsSpan(Marker.Length, split - Marker.Length);
        var times = stored.AsSpan(split + 1);
        var json = new StringBuilder(stored.Length + 48 * 200);
        var ticks = 0L;
        while (true)
        {
            var at = body.IndexOf(DirStart, StringComparison.Ordinal);
            if (at < 0) break;
            var comma = times.IndexOf(',');
            var delta = comma < 0 ? times : times[..comma];
            if (delta.IsEmpty) throw new InvalidDataException("a stored probe result has fewer transcript times than transcript lines");
            ticks += long.Parse(delta, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            times = comma < 0 ? [] : times[(comma + 1)..];
            json.Append(body[..at]).Append(LineStart).Append(Write(ticks)).Append("\",");
            body = body[(at + 1)..];
        }
        if (!times.IsEmpty) throw new InvalidDataException("a stored probe result has more transcript times than transcript lines");
        return json.Append(body).ToString();
    }

    private static string Write(long ticks) =>
        new DateTimeOffset(ticks, TimeSpan.Zero).ToString(Format, CultureInfo.InvariantCulture);
}
