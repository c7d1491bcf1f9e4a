using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Notifier.Contacts;

namespace Notifier.Cli;

/// <summary>How a contact lookup is printed: a ranked list with evidence chains, or one JSON object.</summary>
public static class ContactsOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(Notifier.Probing.ProbeResultJson.Indented)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary><c>{ ip, lookedUpAt, chosen, policy: { applied, note }, candidates: [{ address, source, confidence, status, evidence, … }], notes }</c>.</summary>
    public static string Json(ContactLookupResult lookup, RankedContacts ranked, ContactsPolicySource policy) => JsonSerializer.Serialize(new
    {
        ip = lookup.Ip.ToString(),
        lookedUpAt = lookup.StartedAt,
        chosen = ranked.Chosen?.Address,
        policy = new { applied = policy.Applied, note = policy.Note },
        candidates = ranked.Candidates.Select(c => new
        {
            rank = c.Rank,
            address = c.Address,
            source = c.Source,
            sources = c.Sources,
            tier = c.Tier,
            confidence = c.Confidence,
            status = c.Status,
            reason = c.Reason,
            networkPrefixLength = c.NetworkPrefixLength,
            evidence = c.Evidence.Select(e => new { query = e.Query, answer = e.Answer }),
        }),
        ptrNames = lookup.PtrNames.Select(p => new { name = p.Name, forwardConfirmed = p.ForwardConfirmed }),
        notes = lookup.Notes.Select(n => new { source = n.Source, query = n.Query, reason = n.Reason }),
    }, JsonOptions);

    public static string Human(ContactLookupResult lookup, RankedContacts ranked, ContactsPolicySource policy)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Contacts for {lookup.Ip} (looked up {lookup.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z in {(lookup.FinishedAt - lookup.StartedAt).TotalSeconds:0.00} s)\n");
        sb.Append(CultureInfo.InvariantCulture, $"Policy: {policy.Note}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Chosen: {ranked.Chosen?.Address ?? "(none: no active candidate)"}\n\n");
        if (ranked.Candidates.Count == 0) sb.Append("No candidates.\n");
        foreach (var c in ranked.Candidates)
        {
            var prefix = c.NetworkPrefixLength is { } p ? $" /{p}" : "";
            sb.Append(CultureInfo.InvariantCulture, $"{c.Rank,2}. {c.Address,-40} {Kebab(c.Source)}{prefix}, {Kebab(c.Tier)}, {Kebab(c.Confidence)} confidence, {Kebab(c.Status)}\n");
            if (c.Reason is not null) sb.Append(CultureInfo.InvariantCulture, $"      skipped: {c.Reason}\n");
            foreach (var e in c.Evidence) sb.Append(CultureInfo.InvariantCulture, $"      {e.Query}\n        → {e.Answer}\n");
        }
        if (lookup.Notes.Count > 0)
        {
            sb.Append("\nNotes (lookups that gave nothing):\n");
            foreach (var n in lookup.Notes) sb.Append(CultureInfo.InvariantCulture, $"  [{n.Source}] {n.Query}: {n.Reason}\n");
        }
        return sb.ToString();
    }

    private static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
