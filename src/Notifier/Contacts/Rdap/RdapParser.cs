using System.Net;
using System.Text.Json;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// Reads an RDAP "ip network" response (RFC 9083). Abuse contacts are entities whose roles contain "abuse", at
/// any depth: RIPE and APNIC list the abuse entity (role object / IRT) at the top, ARIN nests its abuse POC inside
/// the registrant organisation. The address is the vCard (jCard, RFC 7095) "email" property.
/// </summary>
public static class RdapParser
{
    private const int MaxEntityDepth = 6;

    /// <summary>The network, or a reason why the document is not one.</summary>
    public static (RdapNetwork? Network, string? Failure) Parse(string json, Uri baseUrl)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return (null, $"malformed JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "the answer is not a JSON object");
            if (Str(root, "objectClassName") is { } cls && !cls.Equals("ip network", StringComparison.OrdinalIgnoreCase))
                return (null, $"objectClassName is \"{cls}\", not \"ip network\"");
            if (!IPAddress.TryParse(Address(root, "startAddress"), out var start) || !IPAddress.TryParse(Address(root, "endAddress"), out var end)
                || start.AddressFamily != end.AddressFamily || IpMath.ToNumber(start) > IpMath.ToNumber(end))
                return (null, "no valid startAddress/endAddress");
            var abuse = new List<RdapAbuseContact>();
            var problems = new List<string>();
            if (root.TryGetProperty("entities", out var entities)) Walk(entities, "", 0, abuse, problems);
            return (new RdapNetwork(Str(root, "handle"), Str(root, "name"), start, end, PrefixLength(root, start, end),
                abuse.DistinctBy(a => a.Email).ToList(), problems, UpLink(root, baseUrl), CountryCode(Str(root, "country"))), null);
        }
    }

    private static void Walk(JsonElement entities, string path, int depth, List<RdapAbuseContact> abuse, List<string> problems)
    {
        if (entities.ValueKind != JsonValueKind.Array || depth > MaxEntityDepth) return;
        foreach (var entity in entities.EnumerateArray())
        {
            if (entity.ValueKind != JsonValueKind.Object) continue;
            var handle = Str(entity, "handle") ?? "(no handle)";
            var here = path.Length == 0 ? handle : path + " › " + handle;
            if (HasRole(entity, "abuse"))
            {
                var emails = Emails(entity).ToList();
                var country = AddressCountry(entity);
                if (emails.Count == 0) problems.Add($"abuse entity {here} has no email in its vCard");
                foreach (var raw in emails)
                {
                    if (ContactAddress.Normalize(raw) is { } email) abuse.Add(new RdapAbuseContact(email, here, country));
                    else problems.Add($"abuse entity {here}: \"{raw}\" is not a mail address");
                }
            }
            if (entity.TryGetProperty("entities", out var nested)) Walk(nested, here, depth + 1, abuse, problems);
        }
    }

    private static bool HasRole(JsonElement entity, string role) =>
        entity.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
        && roles.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && string.Equals(r.GetString(), role, StringComparison.OrdinalIgnoreCase));

    /// <summary>jCard: ["vcard", [[name, params, type, value], …]].</summary>
    private static IEnumerable<string> Emails(JsonElement entity)
    {
        if (!entity.TryGetProperty("vcardArray", out var vcard) || vcard.ValueKind != JsonValueKind.Array || vcard.GetArrayLength() < 2) yield break;
        var properties = vcard[1];
        if (properties.ValueKind != JsonValueKind.Array) yield break;
        foreach (var p in properties.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 4) continue;
            if (p[0].ValueKind != JsonValueKind.String || !string.Equals(p[0].GetString(), "email", StringComparison.OrdinalIgnoreCase)) continue;
            for (var i = 3; i < p.GetArrayLength(); i++)
            {
                if (p[i].ValueKind == JsonValueKind.String && p[i].GetString() is { Length: > 0 } value) yield return value;
            }
        }
    }

    /// <summary>
    /// The "cc" parameter of the vCard's first "adr" that has one (RFC 8605 section 3.1: ISO 3166 code of the
    /// address). The country-name component (RFC 6350 section 6.3.1) is free text ("Germany", "DEUTSCHLAND") and is
    /// not guessed at; the network's "country" member covers those entities.
    /// </summary>
    private static string? AddressCountry(JsonElement entity)
    {
        if (!entity.TryGetProperty("vcardArray", out var vcard) || vcard.ValueKind != JsonValueKind.Array || vcard.GetArrayLength() < 2) return null;
        var properties = vcard[1];
        if (properties.ValueKind != JsonValueKind.Array) return null;
        foreach (var p in properties.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 4) continue;
            if (p[0].ValueKind != JsonValueKind.String || !string.Equals(p[0].GetString(), "adr", StringComparison.OrdinalIgnoreCase)) continue;
            if (CountryCode(Str(p[1], "cc")) is { } cc) return cc;
        }
        return null;
    }

    /// <summary>An ISO 3166-1 alpha-2 code, upper case; anything else is no country.</summary>
    private static string? CountryCode(string? value) =>
        value?.Trim() is { Length: 2 } code && code.All(char.IsAsciiLetter) ? code.ToUpperInvariant() : null;

    /// <summary>The cidr0 extension's prefix when there is exactly one, else derived from the range.</summary>
    private static int PrefixLength(JsonElement root, IPAddress start, IPAddress end)
    {
        if (root.TryGetProperty("cidr0_cidrs", out var cidrs) && cidrs.ValueKind == JsonValueKind.Array && cidrs.GetArrayLength() == 1
            && cidrs[0].ValueKind == JsonValueKind.Object && cidrs[0].TryGetProperty("length", out var length)
            && length.ValueKind == JsonValueKind.Number && length.TryGetInt32(out var n) && n >= 0 && n <= IpMath.Bits(start))
            return n;
        return IpMath.CommonPrefixLength(start, end);
    }

    private static Uri? UpLink(JsonElement root, Uri baseUrl)
    {
        if (!root.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array) return null;
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind != JsonValueKind.Object || !string.Equals(Str(link, "rel"), "up", StringComparison.OrdinalIgnoreCase)) continue;
            var type = Str(link, "type");
            if (type is not null && !type.Contains("json", StringComparison.OrdinalIgnoreCase)) continue;
            if (Uri.TryCreate(baseUrl, Str(link, "href"), out var href) && href.Scheme is "http" or "https") return href;
        }
        return null;
    }

    /// <summary>Some servers have written IPv6 start/end addresses with a prefix ("2001:db8::/32"); the address is before the slash.</summary>
    private static string? Address(JsonElement e, string name) => Str(e, name)?.Split('/')[0];

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
