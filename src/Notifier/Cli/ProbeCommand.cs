using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Cli;

/// <summary><c>probe &lt;host&gt;[:port]</c>: one relay probe, printed like swaks or as JSON.</summary>
public static partial class ProbeCommand
{
    public const string Usage = """
        usage: probe <host>[:<port>] [--full] [--json] [--allow-private] [--canary-domain <domain>]
                     [--helo <name>] [--sender-domain <domain>] [--timeout <seconds>] [--port <n>]
                     [--tls | --no-tls]
          <host>   an IPv4/IPv6 address, a host name (A/AAAA), or mx:<domain> (its best MX)
          --full   try every relay-test variant (default: stop at the first accepted one)
          --tls    implicit TLS from the first byte (port 465); default: STARTTLS when offered
        """;

    private static readonly HashSet<string> Flags = ["--full", "--json", "--allow-private", "--tls", "--no-tls", "--help"];
    private static readonly HashSet<string> Valued = ["--canary-domain", "--helo", "--sender-domain", "--timeout", "--port"];

    public static ProbeRequest ParseRequest(IEnumerable<string> args, out bool json)
    {
        var a = CliArguments.Parse(args, Flags, Valued);
        if (a.Has("--help")) throw new CliUsageException(Usage);
        if (a.Positional.Count != 1) throw new CliUsageException(a.Positional.Count == 0 ? "probe needs a target: probe <host>[:<port>]" : $"probe takes one target, got {a.Positional.Count}");
        var (host, port) = HostPort.Parse(a.Positional[0]);
        var portOption = a.Int("--port", 1, 65535);
        if (port is not null && portOption is not null && port != portOption) throw new CliUsageException($"two different ports given: {port} and {portOption}");
        if (a.Has("--tls") && a.Has("--no-tls")) throw new CliUsageException("--tls and --no-tls contradict each other");
        json = a.Has("--json");
        var timeout = a.Seconds("--timeout", 0.1, 600);
        return new ProbeRequest
        {
            Host = host,
            Port = port ?? portOption ?? 25,
            Mode = a.Has("--full") ? ProbeMode.Full : ProbeMode.Quick,
            Tls = a.Has("--tls") ? TlsMode.Implicit : a.Has("--no-tls") ? TlsMode.None : TlsMode.StartTlsWhenOffered,
            AllowPrivateTargets = a.Has("--allow-private") ? true : null,
            CanaryDomain = Domain(a, "--canary-domain"),
            SenderDomain = Domain(a, "--sender-domain"),
            HeloName = Domain(a, "--helo"),
            Timeout = timeout is null ? null : TimeSpan.FromSeconds(timeout.Value),
        };
    }

    public static async Task<int> RunAsync(IServiceProvider services, IEnumerable<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var request = ParseRequest(args, out var json);
        var options = services.GetRequiredService<IOptions<ProbingOptions>>().Value;
        if (request.CanaryDomain is null && options.CanaryDomain.EndsWith(".invalid", StringComparison.Ordinal))
            await stderr.WriteLineAsync($"note: the canary domain is {options.CanaryDomain}; set Probing:CanaryDomain (or --canary-domain) to a domain whose mail you receive to see relayed test messages arrive");
        ProbeResult result;
        try
        {
            result = await services.GetRequiredService<IRelayProbe>().ProbeAsync(request, ct);
        }
        catch (ProbeRequestException e)
        {
            throw new CliUsageException(e.Message);
        }
        catch (ProbeThrottledException e)
        {
            throw new CliUsageException(e.Message);
        }
        if (json) await stdout.WriteLineAsync(ProbeOutput.Json(result));
        else await stdout.WriteAsync(ProbeOutput.Human(result));
        return 0;
    }

    private static string? Domain(CliArguments a, string name)
    {
        var v = a.Value(name);
        if (v is null) return null;
        if (!DomainRegex().IsMatch(v)) throw new CliUsageException($"{name} \"{v}\" is not a domain name");
        return v.ToLowerInvariant();
    }

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex DomainRegex();
}
