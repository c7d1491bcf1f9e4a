using Notifier.Auth;

namespace Notifier.Cli;

/// <summary><c>operator add &lt;name&gt; [--admin]</c> and <c>operator reset-password &lt;name&gt;</c>: the new password is printed once.</summary>
public static class OperatorCommand
{
    private const string Usage = "usage: operator add <name> [--admin] | operator reset-password <name>";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var a = CliArguments.Parse(args, new HashSet<string> { "--admin" }, new HashSet<string>());
        if (a.Positional.Count != 2) throw new CliUsageException(Usage);
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccounts>();
        var name = a.Positional[1];
        switch (a.Positional[0])
        {
            case "add":
                if (OperatorAccounts.UserNameError(name) is { } nameError) throw new CliUsageException(nameError);
                var password = OperatorAccounts.NewPassword();
                try
                {
                    await accounts.AddAsync(name, password, a.Has("--admin") ? OperatorRole.Admin : OperatorRole.Operator, ct);
                }
                catch (Microsoft.EntityFrameworkCore.DbUpdateException)
                {
                    throw new CliUsageException($"an operator named \"{name}\" exists");
                }
                await stdout.WriteLineAsync(password);
                return 0;
            case "reset-password":
                var reset = await accounts.ResetPasswordAsync(name, ct) ?? throw new CliUsageException($"no operator named \"{name}\"");
                await stdout.WriteLineAsync(reset);
                return 0;
            default:
                throw new CliUsageException(Usage);
        }
    }
}
