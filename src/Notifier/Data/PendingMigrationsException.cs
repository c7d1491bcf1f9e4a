namespace Notifier.Data;

/// <summary>A server database lacks migrations of this build and <c>Database:MigrateOnStart</c> is off: the node does not start.</summary>
public sealed class PendingMigrationsException(string provider, IReadOnlyList<string> pending) : InvalidOperationException(
    $"The {provider} database lacks {pending.Count} migration{(pending.Count == 1 ? "" : "s")} of this build ({string.Join(", ", pending)}). " +
    $"Apply {DatabaseProvider.ScriptPath(provider)} (idempotent; see db/README.md) and start again, " +
    "or set Database:MigrateOnStart=true to let this node migrate the shared database itself.")
{
    public IReadOnlyList<string> Pending { get; } = pending;
}
