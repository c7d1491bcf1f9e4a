namespace Notifier.Contacts.Rdap;

/// <summary>An email of an entity with role "abuse"; <paramref name="EntityPath"/> shows nesting, e.g. "ORG-X › ABUSE-Y".</summary>
public sealed record RdapAbuseContact(string Email, string EntityPath);
