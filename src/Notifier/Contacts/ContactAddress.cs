namespace Notifier.Contacts;

/// <summary>
/// Mail addresses as we store and compare them: lower case, domain in ASCII. Role mailboxes are not case-sensitive
/// in practice, and comparing "Abuse@Example.com" with "abuse@example.com" as different would defeat suppressions.
/// </summary>
public static class ContactAddress
{
    /// <summary>The normalized address, or null when the text is not a plausible mailbox.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        if (s.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) s = s[7..];
        var at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1) return null;
        var local = s[..at];
        if (local.Length > 64 || local.Any(c => c <= ' ' || c >= 127 || "<>()[],;:\\\"@".Contains(c, StringComparison.Ordinal))) return null;
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)) return null;
        var domain = DomainNames.ToAscii(s[(at + 1)..]);
        if (domain is null || !domain.Contains('.', StringComparison.Ordinal)) return null;
        return local.ToLowerInvariant() + "@" + domain;
    }

    /// <summary>The domain part of a normalized address.</summary>
    public static string DomainOf(string normalized) => normalized[(normalized.LastIndexOf('@') + 1)..];
}
