using MimeKit;
using MimeKit.Cryptography;
using Notifier.Contacts;

namespace Notifier.Inbox;

/// <summary>
/// The domains our own receivers vouch for in a message: DKIM signatures (<c>header.d</c>, or the domain of
/// <c>header.i</c>) and SPF checks (the domain of <c>smtp.mailfrom</c>) that passed, read with MimeKit's
/// <see cref="AuthenticationResults"/> from the <c>Authentication-Results</c> headers (RFC 8601) whose authserv-id is
/// one of <c>Inbox:TrustedReceivers</c>. A header of any other authserv-id is ignored: anybody can write one into a
/// message. RFC 8601 section 5 has our receiver delete headers that claim its own authserv-id before it adds its
/// own, so a header with a trusted id was written by that receiver.
/// </summary>
public static class SenderAuthentication
{
    /// <summary>One passed check: its method (<c>dkim</c>, <c>spf</c>), the domain it passed for, and the receiver that says so.</summary>
    public sealed record Pass(string Method, string Domain, string Receiver)
    {
        public override string ToString() => $"{Method}=pass for {Domain} (Authentication-Results of {Receiver})";
    }

    public static IReadOnlyList<Pass> Read(MimeMessage message, IReadOnlyCollection<string> trustedReceivers)
    {
        ArgumentNullException.ThrowIfNull(message);
        var passes = new List<Pass>();
        if (trustedReceivers.Count == 0) return passes;
        // Host names: no case, no trailing dot (as Inbox:TrustedReceivers validates them).
        var trusted = trustedReceivers.Select(t => t.Trim().TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults))
        {
            // A header that does not parse says nothing we could rely on: skipped, like one of another receiver.
            if (!AuthenticationResults.TryParse(header.RawValue, out var results)) continue;
            var receiver = results.AuthenticationServiceIdentifier;
            if (receiver is null || !trusted.Contains(receiver.Trim().TrimEnd('.'))) continue;
            foreach (var result in results.Results)
            {
                if (!string.Equals(result.Result, "pass", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var domain in DomainsOf(result))
                    passes.Add(new Pass(result.Method.ToLowerInvariant(), domain, receiver));
            }
        }
        return passes;
    }

    /// <summary>
    /// The first check that passed for <paramref name="domain"/> or a name under it, or null. Only the owner of a
    /// domain can sign with it (DKIM, RFC 6376 section 3.5 d=) or publish the SPF record of its mail-from (RFC 7208),
    /// so a pass there proves that the domain sent the message.
    /// </summary>
    public static Pass? For(IEnumerable<Pass> passes, string domain) =>
        passes.FirstOrDefault(p => p.Domain == domain || p.Domain.EndsWith("." + domain, StringComparison.Ordinal));

    private static IEnumerable<string> DomainsOf(AuthenticationMethodResult result)
    {
        var method = result.Method.ToLowerInvariant();
        foreach (var p in result.Properties)
        {
            var value = p.Value?.Trim();
            if (string.IsNullOrEmpty(value)) continue;
            var type = p.PropertyType.ToLowerInvariant();
            var property = p.Property.ToLowerInvariant();
            string? domain = (method, type, property) switch
            {
                ("dkim", "header", "d") => value,
                // header.i is an address or "@domain" (RFC 6376 section 3.5 i=): its domain part.
                ("dkim", "header", "i") => value[(value.LastIndexOf('@') + 1)..],
                // smtp.mailfrom is the envelope sender, or only its domain (RFC 8601 section 2.7.2).
                ("spf", "smtp", "mailfrom") => value[(value.LastIndexOf('@') + 1)..],
                _ => null,
            };
            if (domain is not null && DomainNames.ToAscii(domain) is { } ascii) yield return ascii;
        }
    }
}
