using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifier.Probing;

/// <summary>The one JSON shape of a probe result: CLI output, stored evidence and API all use it.</summary>
public static class ProbeResultJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static string Serialize(ProbeResult result, bool indented = false) =>
        JsonSerializer.Serialize(result, indented ? Indented : Options);

    public static ProbeResult? Deserialize(string json) => JsonSerializer.Deserialize<ProbeResult>(json, Options);
}
