using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifier.Cases;

/// <summary>How contact records are stored as JSON in <see cref="CaseContact"/> and <see cref="CaseContactLookup"/>.</summary>
public static class CaseContactJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"null where a {typeof(T).Name} was stored");
}
