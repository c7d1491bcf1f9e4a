using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cli;

/// <summary>
/// The policy <c>contacts &lt;ip&gt;</c> ranks with: the configured database's manual rules (domain and network;
/// case rules need a case), suppressions and bounces, loaded by the same <see cref="StoredContactPolicy"/> the
/// ContactLookupJob ranks with. The database is opened read-only and only when its file exists: a lookup never creates
/// or migrates one. When there is none (or it predates this build's schema) the ranking is the sources' alone, and
/// <see cref="Note"/> says so.
/// </summary>
public sealed record ContactsPolicySource(ContactPolicy Policy, bool Applied, string Note)
{
    public static async Task<ContactsPolicySource> LoadAsync(IConfiguration configuration, IEnumerable<string> foundAddresses, CancellationToken ct)
    {
        var configured = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(configured.ConnectionString);
        }
        catch (ArgumentException e)
        {
            return None($"Database:ConnectionString is not a SQLite connection string ({e.Message})");
        }
        if (string.IsNullOrEmpty(csb.DataSource) || csb.DataSource == ":memory:" || csb.Mode == SqliteOpenMode.Memory)
            return None("the configured database is in memory (nothing to read)");
        // As DataExtensions resolves it, but without creating the folder.
        var path = Path.GetFullPath(csb.DataSource, Environment.CurrentDirectory);
        if (!File.Exists(path))
            return None($"no database at {path} yet");

        csb.DataSource = path;
        csb.Mode = SqliteOpenMode.ReadOnly;
        // No pool: nothing of this process keeps the file open afterwards.
        csb.Pooling = false;
        var options = new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(csb.ToString()).Options;
        try
        {
            await using var db = new SqliteNotifierDb(options);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            if (pending > 0)
                return None($"the database at {path} lacks {pending} migration{(pending == 1 ? "" : "s")} of this build (start the service once to migrate it)");
            var policy = await StoredContactPolicy.LoadAsync(db, null, foundAddresses, ct);
            return new ContactsPolicySource(policy, true,
                $"database {path}: {policy.Manual.Count} domain/network rule{S(policy.Manual.Count)}, {policy.Suppressions.Count} suppression{S(policy.Suppressions.Count)} and {policy.Bounces.Count} bounce{S(policy.Bounces.Count)} considered");
        }
        catch (SqliteException e)
        {
            return None($"the database at {path} could not be read ({e.Message})");
        }
    }

    private static ContactsPolicySource None(string why) =>
        new(ContactPolicy.None, false, $"{why}: ranked without manual rules, suppressions or bounces");

    private static string S(int n) => n == 1 ? "" : "s";
}
