using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CsvHelper;

namespace Notifier.Notices;

/// <summary>
/// The evidence a notice carries as attachments, for people and for a desk's own tooling: the whole transcript
/// (the body only shows an excerpt), the test message as it arrived, one JSON object per relay, and a CSV of the
/// relays beyond the body's cap. Attachments are never truncated.
/// </summary>
public static partial class NoticeEvidence
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The probe's whole SMTP dialogue with one relay, as text (UTF-8).</summary>
    public static NoticeAttachment Transcript(NoticeRelay relay, string transcript) =>
        new($"{RelayFileStem(relay)}-transcript.txt", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(transcript));

    /// <summary>The whole dialogue of the retest a follow-up reports (beside the proving probe's), named by its UTC time.</summary>
    public static NoticeAttachment RetestTranscript(NoticeRelay relay, DateTimeOffset retestAt, string transcript) =>
        new($"{RelayFileStem(relay)}-retest-{retestAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-transcript.txt",
            "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(transcript));

    /// <summary>Our test message as it arrived in the canary mailbox through the relay, unchanged (message/rfc822, RFC 2046 §5.2.1).</summary>
    public static NoticeAttachment ArrivedTestMessage(NoticeRelay relay, byte[] message) =>
        new($"{RelayFileStem(relay)}-test-message.eml", "message/rfc822", message);

    /// <summary>One JSON object per relay in an array, stable snake_case names and UTC ISO 8601 times, for a desk's scripts.</summary>
    public static NoticeAttachment EvidenceJson(string caseReference, IReadOnlyList<NoticeRelay> relays) =>
        new($"{FileText(caseReference)}-evidence.json", "application/json", JsonSerializer.SerializeToUtf8Bytes(relays.Select(Evidence.Of).ToList(), Json));

    /// <summary>The relays the body does not list (beyond its cap), one row each, the JSON's facts as columns (RFC 4180).</summary>
    public static NoticeAttachment FurtherRelaysCsv(string caseReference, IReadOnlyList<NoticeRelay> relays)
    {
        // A field starting with = + - @ is escaped so a spreadsheet never runs it as a formula (CSV injection).
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            csv.WriteHeader(["case_reference", "observed_at", "confirmed_at", "ip", "port", "host_name", "verdict", "variant", "mta", "accepted_sender", "accepted_recipient"]);
            foreach (var r in relays)
            {
                csv.WriteRecord([r.CaseReference, Utc(r.ObservedAt), r.ConfirmedAt is { } at ? Utc(at) : "", r.Address,
                    r.Port.ToString(CultureInfo.InvariantCulture), r.HostName ?? "", r.Verdict, r.Variant, r.Mta, r.AcceptedSender, r.AcceptedRecipient]);
            }
        }
        return new($"{FileText(caseReference)}-further-relays.csv", "text/csv; charset=utf-8", Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RelayFileStem(NoticeRelay relay) => FileText($"{relay.CaseReference}-{relay.Address}-{relay.Port}");

    /// <summary>Only letters, digits, '.' and '-' in a file name (an IPv6 address's ':' becomes '-').</summary>
    private static string FileText(string value) => UnsafeFileCharacters().Replace(value, "-");

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex UnsafeFileCharacters();

    /// <summary>What the JSON says about one relay (snake_case names: case_reference, observed_at, ip, …).</summary>
    private sealed record Evidence(
        string CaseReference, DateTimeOffset ObservedAt, DateTimeOffset? ConfirmedAt, string Ip, int Port, string? HostName,
        string Verdict, string Variant, string Mta, string AcceptedSender, string AcceptedRecipient)
    {
        public static Evidence Of(NoticeRelay r) => new(r.CaseReference, r.ObservedAt.ToUniversalTime(), r.ConfirmedAt?.ToUniversalTime(),
            r.Address, r.Port, r.HostName, r.Verdict, r.Variant, r.Mta, r.AcceptedSender, r.AcceptedRecipient);
    }
}
