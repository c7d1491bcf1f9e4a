using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;

namespace Notifier.Cli;

/// <summary><c>apikey create &lt;name&gt; [--scope read|write]</c>, <c>apikey list</c>, <c>apikey revoke &lt;name&gt;</c>.</summary>
public static class ApiKeyCommand
{
    private const string Usage = "usage: apikey create <name> [--scope read|write] | apikey list | apikey revoke <name>";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "--scope" });
        if (a.Positional.Count == 0) throw new CliUsageException(Usage);
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        switch (a.Positional[0])
        {
            case "create" when a.Positional.Count == 2:
                var apiScope = a.Value("--scope") ?? ApiScope.Write;
                if (apiScope is not (ApiScope.Read or ApiScope.Write)) throw new CliUsageException("--scope must be read or write");
                try
                {
                    var (key, secret) = await keys.CreateAsync(a.Positional[1], apiScope, ct);
                    await stdout.WriteLineAsync(secret);
                    await Console.Error.WriteLineAsync($"API key \"{key.Name}\" ({key.Scope}) created. It is shown only this once: use it as Authorization: Bearer <key>.");
                }
                catch (ArgumentException e)
                {
                    throw new CliUsageException(e.Message.Split(" (Parameter", 2)[0]);
                }
                return 0;
            case "list" when a.Positional.Count == 1:
                var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
                foreach (var k in await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct))
                    await stdout.WriteLineAsync($"{k.Name,-30} {k.Scope,-6} {k.Prefix}…  created {k.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(k.RevokedAt is { } r ? $"  REVOKED {r.UtcDateTime:yyyy-MM-dd HH:mm}" : "")}");
                return 0;
            case "revoke" when a.Positional.Count == 2:
                if (!await keys.RevokeAsync(a.Positional[1], ct)) throw new CliUsageException($"no active key named \"{a.Positional[1]}\"");
                await stdout.WriteLineAsync($"revoked {a.Positional[1]}");
                return 0;
            default:
                throw new CliUsageException(Usage);
        }
    }
}
