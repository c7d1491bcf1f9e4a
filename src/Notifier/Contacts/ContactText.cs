using System.Text.Json;

namespace Notifier.Contacts;

/// <summary>
/// Enum values as the database, the API and the CLI spell them: kebab-case (<c>operator-disabled</c>,
/// <c>rdap-abuse</c>, <c>abuse-net</c>), the same spelling as the CLI's JSON.
/// </summary>
public static class ContactText
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(Of(v), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var v) ? v : throw new FormatException($"\"{text}\" is not a {typeof(T).Name}");

    public static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Of));
}
