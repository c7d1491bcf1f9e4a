namespace Notifier.Contacts;

/// <summary>What one source returns: the addresses it found and notes on what it could not do.</summary>
/// <param name="Network">RDAP only: the most specific network that holds the address (its handle, else its range).</param>
public sealed record SourceResult(IReadOnlyList<FoundContact> Found, IReadOnlyList<LookupNote> Notes, string? Network = null)
{
    public static SourceResult Empty { get; } = new([], []);

    public static SourceResult Note(string source, string query, string reason) => new([], [new LookupNote(source, query, reason)]);
}
