namespace Notifier.Contacts;

/// <summary>What one source returns: the addresses it found and notes on what it could not do.</summary>
public sealed record SourceResult(IReadOnlyList<FoundContact> Found, IReadOnlyList<LookupNote> Notes)
{
    public static SourceResult Empty { get; } = new([], []);

    public static SourceResult Note(string source, string query, string reason) => new([], [new LookupNote(source, query, reason)]);
}
