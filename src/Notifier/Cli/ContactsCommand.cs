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
        // Strict: IPAddress.TryParse reads "1.2" as 1.0.0.2 and "010.1.1.1" as 8.1.1.1; an abuse desk means a full address.
        var ip = Probing.IpAddressText.Parse(a.Positional[0])
            ?? throw new CliUsageException($"\"{a.Positional[0]}\" is not an IP address");
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
