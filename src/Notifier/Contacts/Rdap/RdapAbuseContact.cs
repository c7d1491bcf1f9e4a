namespace Notifier.Contacts.Rdap;

/// <summary>An email of an entity with role "abuse"; <paramref name="EntityPath"/> shows nesting, e.g. "ORG-X › ABUSE-Y".</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code of the entity's vCard address (the "cc" parameter of "adr", RFC 8605), if it gives one.</param>
public sealed record RdapAbuseContact(string Email, string EntityPath, string? Country = null);
