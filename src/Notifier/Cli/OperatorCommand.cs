using System.Globalization;
using Notifier.Auth;

namespace Notifier.Cli;

/// <summary>
/// <c>operator add &lt;name&gt; [--role viewer|operator|admin]</c> (<c>--admin</c> is kept as a synonym of
/// <c>--role admin</c>), <c>operator list</c>, <c>operator set-role &lt;name&gt; &lt;role&gt;</c>,
/// <c>operator disable|enable &lt;name&gt;</c> and <c>operator reset-password &lt;name&gt;</c>. A new password is
/// printed once, alone on stdout. The same OperatorAccounts methods as the /operators page, with the same refusals.
/// </summary>
public static class OperatorCommand
{
    private const string Usage =
        "usage: operator add <name> [--role viewer|operator|admin] | operator list | operator set-role <name> <role> | " +
        "operator disable <name> | operator enable <name> | operator reset-password <name>";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var a = CliArguments.Parse(args, new HashSet<string> { "--admin" }, new HashSet<string> { "--role" });
        if (a.Positional.Count == 0) throw new CliUsageException(Usage);
        if (a.Positional[0] != "add" && (a.Has("--admin") || a.Has("--role"))) throw new CliUsageException($"--role and --admin belong to operator add; {Usage}");
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccounts>();
        try
        {
            switch (a.Positional[0], a.Positional.Count)
            {
                case ("add", 2):
                    await stdout.WriteLineAsync(await accounts.CreateAsync(a.Positional[1], AddRole(a), ct));
                    return 0;
                case ("list", 1):
                    foreach (var o in await accounts.ListAsync(ct))
                        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{o.UserName,-30} {o.Role,-8} {(o.DisabledAt is { } d ? $"disabled {d.UtcDateTime:yyyy-MM-dd HH:mm}" : "enabled"),-25} created {o.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(o.LockedUntil is { } l ? $"  locked until {l.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")}"));
                    return 0;
                case ("set-role", 3):
                    await accounts.SetRoleAsync(a.Positional[1], a.Positional[2], ct);
                    await stdout.WriteLineAsync($"{a.Positional[1]} is now {a.Positional[2]}; their sessions ended");
                    return 0;
                case ("disable", 2):
                    await accounts.DisableAsync(a.Positional[1], ct);
                    await stdout.WriteLineAsync($"{a.Positional[1]} is disabled; their sessions ended");
                    return 0;
                case ("enable", 2):
                    await accounts.EnableAsync(a.Positional[1], ct);
                    await stdout.WriteLineAsync($"{a.Positional[1]} is enabled");
                    return 0;
                case ("reset-password", 2):
                    await stdout.WriteLineAsync(await accounts.ResetPasswordAsync(a.Positional[1], ct)
                        ?? throw new CliUsageException($"no operator named \"{a.Positional[1]}\""));
                    return 0;
                default:
                    throw new CliUsageException(Usage);
            }
        }
        catch (OperatorAccountException e)
        {
            throw new CliUsageException(e.Message);
        }
    }

    private static string AddRole(CliArguments a)
    {
        var role = a.Value("--role");
        if (a.Has("--admin") && role is not null && role != OperatorRole.Admin) throw new CliUsageException("--admin and --role " + role + " contradict each other");
        return role ?? (a.Has("--admin") ? OperatorRole.Admin : OperatorRole.Operator);
    }
}
