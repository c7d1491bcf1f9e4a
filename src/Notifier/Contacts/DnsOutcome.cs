using DnsClient;
using DnsClient.Protocol;

namespace Notifier.Contacts;

/// <summary>One DNS question and what came of it: records, or a failure worded for the case history.</summary>
public sealed record DnsOutcome(string Query, IReadOnlyList<DnsResourceRecord> Answers, IReadOnlyList<DnsResourceRecord> Authorities, string? Failure)
{
    public bool Failed => Failure is not null;

    public ContactEvidence Evidence => new(Query, Failure ?? (Answers.Count == 0 ? "no records (NODATA)" : Describe(Answers)));

    public static string Describe(IEnumerable<DnsResourceRecord> records)
    {
        var text = string.Join("; ", records.Select(r => r.ToString()));
        // Evidence is stored per case and shown in notices; a hostile zone must not fill either.
        return text.Length <= 1000 ? text : text[..1000] + "…";
    }

    internal static string Describe(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN (the name does not exist)",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL (the resolver could not get an answer)",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        _ => code.ToString(),
    };
}
