namespace Notifier.Cases;

/// <summary>What an export lists: a row per case, or a row per contact of a case (the same cases either way).</summary>
public enum ExportKind
{
    Cases,
    Contacts,
}

public static class ExportKinds
{
    /// <summary>The kind named <paramref name="text"/> (<c>cases</c>, <c>contacts</c>), or null for anything else.</summary>
    public static ExportKind? Read(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "cases" => ExportKind.Cases,
        "contacts" => ExportKind.Contacts,
        _ => null,
    };

    public static string Name(this ExportKind kind) => kind == ExportKind.Contacts ? "contacts" : "cases";
}
