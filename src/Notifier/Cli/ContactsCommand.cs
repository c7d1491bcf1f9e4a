using System.Net;
using Notifier.Contacts;

namespace Notifier.Cli;

/// <summary><c>contacts &lt;ip&gt; [--json]</c>: who to notify about an address, ranked, with the evidence chain.</summary>
public static class ContactsCommand
{
    public const string Usage = """
        usage: contacts <ip> [--json]
          <ip>    an IPv4 or IPv6 address
          --json  print the ranked candidates as JSON (address, source, confidence, status, evidence)
        The ranking applies the configured database's domain and network rules, suppressions and bounces (read
        only; a database that does not exist yet is not created, and the ranking is then the sources' alone).
        Case rules apply to a case's contacts in the service (GET /api/cases/{id}, the dashboard's case page).
        """;

    private static readonly HashSet<string> Flags = ["--json", "--help"];
    private static readonly HashSet<string> Valued = [];

    public static IPAddress ParseAddress(IEnumerable<string> args, out bool json)
    {
        var a = CliArguments.Parse(args, Flags, Valued);
        if (a.Has("--help")) throw new CliUsageException(Usage);
        if (a.Positional.Count != 1) throw new CliUsageException(a.Positional.Count == 0 ? "contacts needs an IP address: contacts <ip>" : $"contacts takes one IP address, got {a.Positional.Count}");
        var text = a.Positional[0].Trim().TrimStart('[').TrimEnd(']');
        // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthand; an abuse desk means a full address.
        if (!IPAddress.TryParse(text, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
            throw new CliUsageException($"\"{a.Positional[0]}\" is not an IP address");
        json = a.Has("--json");
        return ip;
    }

    public static async Task<int> RunAsync(IServiceProvider services, IEnumerable<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var ip = ParseAddress(args, out var json);
        var lookup = await services.GetRequiredService<ContactLookup>().LookupAsync(ip, ct);
        var policy = await ContactsPolicySource.LoadAsync(services.GetRequiredService<IConfiguration>(), lookup.Found.Select(f => f.Address), ct);
        var ranked = ContactRanking.Rank(lookup, policy.Policy);
        if (json) await stdout.WriteLineAsync(ContactsOutput.Json(lookup, ranked, policy));
        else await stdout.WriteAsync(ContactsOutput.Human(lookup, ranked, policy));
        return 0;
    }
}
