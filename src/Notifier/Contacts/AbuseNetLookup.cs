using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Notifier.Contacts;

/// <summary>
/// abuse.net's DNS interface: TXT records at <c>&lt;domain&gt;.contacts.abuse.net</c> list the domain's abuse
/// contacts, and the HINFO record at the same name says where they came from: "lookup" when the domain is in
/// abuse.net's database (someone registered it), "default" when abuse.net only offers its guess abuse@domain.
/// A "default" answer therefore ranks like our own RFC 2142 guess, not like a registered contact.
/// abuse.net's terms (https://www.abuse.net/using.phtml) allow automatic reports only for the IP address or a
/// validated rDNS name, so names that are not forward-confirmed are not looked up at all; its terms also ask
/// paid products to make arrangements first, hence <see cref="ContactsOptions.UseAbuseNet"/>.
/// </summary>
public sealed class AbuseNetLookup(ContactDns dns, IOptions<ContactsOptions> options)
{
    private const string Source = "abuse.net";

    public async Task<SourceResult> LookupAsync(DomainOrigin origin, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.UseAbuseNet) return SourceResult.Empty;
        var name = origin.Domain + "." + o.AbuseNetZone;
        if (!origin.Confirmed)
            return SourceResult.Note(Source, name, "not asked: the PTR name is not forward-confirmed, and abuse.net's terms allow automatic reports only for validated rDNS");
        var txtTask = dns.QueryAsync(name, QueryType.TXT, ct);
        var hinfoTask = dns.QueryAsync(name, QueryType.HINFO, ct);
        var txt = await txtTask;
        var hinfo = await hinfoTask;
        if (txt.Failed) return SourceResult.Note(Source, txt.Query, txt.Failure!);
        var records = txt.Answers.OfType<TxtRecord>().ToList();
        var size = records.Sum(r => r.Text.Sum(t => t.Length));
        if (size > o.MaxTxtBytes)
            return SourceResult.Note(Source, txt.Query, $"TXT answer of {size} bytes in {records.Count} records exceeds {o.MaxTxtBytes}; ignored");
        if (records.Count == 0) return SourceResult.Note(Source, txt.Query, "no TXT record");

        var meaning = hinfo.Answers.OfType<HInfoRecord>().Select(h => h.Cpu.Trim().ToLowerInvariant()).FirstOrDefault();
        var registered = meaning == "lookup";
        var notes = new List<LookupNote>();
        if (meaning is null) notes.Add(new LookupNote(Source, hinfo.Query, "no HINFO record; answer treated as abuse.net's default guess"));
        var tier = registered ? ContactTier.AbuseNetLookup : ContactTier.Rfc2142Confirmed;
        var hinfoEvidence = new ContactEvidence(hinfo.Query, hinfo.Failure ?? (meaning is null ? "no HINFO record" : $"\"{meaning}\": {(registered ? "registered in abuse.net's database" : "abuse.net's default guess")}"));
        var found = new List<FoundContact>();
        foreach (var text in records.SelectMany(r => r.Text).SelectMany(t => t.Split([' ', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries)))
        {
            var address = ContactAddress.Normalize(text);
            if (address is null)
            {
                notes.Add(new LookupNote(Source, txt.Query, $"\"{Shorten(text)}\" is not a mail address; ignored"));
                continue;
            }
            found.Add(new FoundContact(address, ContactSource.AbuseNet, tier, [.. origin.Chain, txt.Evidence, hinfoEvidence]));
        }
        return new SourceResult(found.DistinctBy(f => f.Address).ToList(), notes);
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
