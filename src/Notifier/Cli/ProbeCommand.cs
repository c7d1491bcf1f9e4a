using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Cli;

/// <summary><c>probe &lt;host&gt;[:port]</c>: one relay probe, printed like swaks or as JSON.</summary>
public static partial class ProbeCommand
{
    public const string Usage = """
        usage: probe <host>[:<port>] [--full | --rcpt-only] [--variant <name>[,<name>…]]… [--json]
                     [--allow-private] [--canary-domain <domain>] [--helo <name>] [--sender-domain <domain>]
                     [--timeout <seconds>] [--port <n>] [--tls | --no-tls]
                     [--confirm --imap imap://user:pass@host:port[/folder] [--wait <seconds>]]
               probe --file <targets.txt> [--concurrency <n>] [--json-lines] [the options above but --json, --confirm]
          <host>   an IPv4/IPv6 address, a host name (A/AAAA), or mx:<domain> (its best MX)
          --full   try every relay-test variant (default: stop at the first accepted one)
          --rcpt-only  MAIL FROM / RCPT TO only, stop at the first accepted recipient, never DATA: no test
                     message is sent (a retest: is a relay known to be open still open?)
          --variant  only these relay-test variants, in the usual order (repeatable or comma-separated;
                     an unknown name is refused with the target's variant names, e.g. plain, null-sender)
          --tls    implicit TLS from the first byte (port 465); default: STARTTLS when offered
          --confirm  after the dialogue, watch the mailbox (read-only; imaps:// for TLS) for the canary and print
                     confirmed, multihop or accepts-but-drops (default wait 60 s)
          --file   many targets, one host[:port] per line (# comments), probed --concurrency at a time (default and
                     at most Probing:MaxConcurrentProbes) under the service's limits per target and per /24; one line
                     (or with --json-lines one JSON object) per target as it finishes, progress on stderr; exit code
                     3 when any target relays, 0 when none does
        """;

    private static readonly HashSet<string> Flags = ["--full", "--rcpt-only", "--json", "--allow-private", "--tls", "--no-tls", "--help", "--confirm", "--json-lines"];
    private static readonly HashSet<string> Valued = ["--canary-domain", "--helo", "--sender-domain", "--timeout", "--port", "--imap", "--wait", "--variant", "--file", "--concurrency"];

    public static ProbeRequest ParseRequest(IEnumerable<string> args, out bool json)
    {
        var a = CliArguments.Parse(args, Flags, Valued);
        if (a.Has("--help")) throw new CliUsageException(Usage);
        if (a.Has("--concurrency") || a.Has("--json-lines")) throw new CliUsageException("--concurrency and --json-lines go with --file");
        if (a.Positional.Count != 1) throw new CliUsageException(a.Positional.Count == 0 ? "probe needs a target: probe <host>[:<port>] (or a list: probe --file <targets.txt>)" : $"probe takes one target, got {a.Positional.Count} (a list: probe --file <targets.txt>)");
        var (host, port) = HostPort.Parse(a.Positional[0]);
        json = a.Has("--json");
        return RequestFor(a, host, port);
    }

    /// <summary>The request for <paramref name="host"/> with the options given; a port in the target wins over none, and must agree with --port.</summary>
    internal static ProbeRequest RequestFor(CliArguments a, string host, int? port)
    {
        var portOption = a.WholeNumber("--port", 1, 65535);
        if (port is not null && portOption is not null && port != portOption) throw new CliUsageException($"two different ports given: {port} and {portOption}");
        if (a.Has("--tls") && a.Has("--no-tls")) throw new CliUsageException("--tls and --no-tls contradict each other");
        if (a.Has("--rcpt-only") && a.Has("--full")) throw new CliUsageException("--rcpt-only and --full contradict each other: --full sends a test message, --rcpt-only never does");
        if (a.Has("--rcpt-only") && a.Has("--confirm")) throw new CliUsageException("--confirm waits for the test message, which --rcpt-only never sends");
        var timeout = a.Seconds("--timeout", 0.1, 600);
        return new ProbeRequest
        {
            Host = host,
            Port = port ?? portOption ?? 25,
            Mode = a.Has("--full") ? ProbeMode.Full : a.Has("--rcpt-only") ? ProbeMode.RcptOnly : ProbeMode.Quick,
            Variants = Variants(a),
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
        var all = CliArguments.Parse(args, Flags, Valued);
        var options = services.GetRequiredService<IOptions<ProbingOptions>>().Value;
        if (all.Value("--canary-domain") is null && !all.Has("--help") && options.CanaryDomain.EndsWith(".invalid", StringComparison.Ordinal))
            await stderr.WriteLineAsync($"note: the canary domain is {options.CanaryDomain}; set Probing:CanaryDomain (or --canary-domain) to a domain whose mail you receive to see relayed test messages arrive");
        if (all.Has("--file") && !all.Has("--help")) return await ProbeFileCommand.RunAsync(services, all, stdout, stderr, ct);
        var request = ParseRequest(args, out var json);
        var confirm = ParseConfirm(args);
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
        if (confirm is { } c) result = await ConfirmAsync(services, result, c.Mailbox, c.Wait, stderr, ct);
        if (json) await stdout.WriteLineAsync(ProbeOutput.Json(result));
        else await stdout.WriteAsync(ProbeOutput.Human(result));
        return 0;
    }

    /// <summary>The <c>--confirm</c> options, or null without <c>--confirm</c>.</summary>
    public static (Inbox.CanaryWatch.Mailbox Mailbox, TimeSpan Wait)? ParseConfirm(IEnumerable<string> args)
    {
        var a = CliArguments.Parse(args, Flags, Valued);
        if (!a.Has("--confirm"))
        {
            if (a.Has("--imap") || a.Has("--wait")) throw new CliUsageException("--imap and --wait go with --confirm");
            return null;
        }
        var url = a.Value("--imap") ?? throw new CliUsageException("--confirm needs --imap imap://user:pass@host:port[/folder]");
        Inbox.CanaryWatch.Mailbox mailbox;
        try
        {
            mailbox = Inbox.CanaryWatch.ParseUrl(url);
        }
        catch (FormatException e)
        {
            throw new CliUsageException(e.Message);
        }
        return (mailbox, TimeSpan.FromSeconds(a.Seconds("--wait", 1, 3600) ?? 60));
    }

    /// <summary>Waits for the canary and turns a data-accepted result into confirmed, multihop or accepts-but-drops.</summary>
    private static async Task<ProbeResult> ConfirmAsync(IServiceProvider services, ProbeResult result, Inbox.CanaryWatch.Mailbox mailbox, TimeSpan wait, TextWriter stderr, CancellationToken ct)
    {
        if (result.Verdict != ProbeVerdict.DataAccepted)
        {
            await stderr.WriteLineAsync($"note: nothing to confirm: the relay did not queue a test message ({result.Verdict})");
            return result;
        }
        var time = services.GetRequiredService<TimeProvider>();
        Intake.TrustedReceivers trusted;
        try
        {
            var configured = services.GetRequiredService<IConfiguration>().GetSection("Intake:TrustedReceivers").Get<Intake.TrustedReceiversOptions>() ?? new();
            trusted = Intake.TrustedReceivers.From(configured);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new CliUsageException($"Intake:TrustedReceivers: {e.Message}");
        }
        MimeKit.MimeMessage? canary;
        try
        {
            canary = await Inbox.CanaryWatch.WaitAsync(mailbox, result.Token, wait, time, ct);
        }
        catch (Exception e) when (e is MailKit.Security.AuthenticationException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.FolderNotFoundException or IOException)
        {
            throw new CliUsageException($"cannot read the mailbox {mailbox.Host}:{mailbox.Port}/{mailbox.Folder}: {e.Message}");
        }
        if (canary is null)
            return result with { Verdict = ProbeVerdict.AcceptsButDrops, Reason = $"The server queued the test message, but it did not reach {mailbox.User}@{mailbox.Host}/{mailbox.Folder} within {wait.TotalSeconds:0} s: it accepts and drops (or delivers elsewhere). {result.Reason}" };
        var key = services.GetRequiredService<ProbeTokenKey>();
        if (!ProbeToken.Verify(key.Bytes, result.Token, result.Target))
            throw new CliUsageException("the canary's token does not verify with this process's key");
        var probed = System.Net.IPAddress.Parse(result.Address);
        // A private target was probed on purpose (--allow-private): its loopback or private hop is the relay, not our own filter.
        var targets = TargetGuard.RestrictionOf(probed) is null ? Intake.TargetPolicy.From(services.GetRequiredService<IOptions<ProbingOptions>>()) : Intake.TargetPolicy.PrivateAllowed;
        var hop = Inbox.CanaryReader.FindHandOver(canary, trusted, targets);
        var (verdict, why) = Inbox.CanaryReader.Judge(hop, probed, result.HostName);
        return result with { Verdict = verdict, Reason = $"{char.ToUpperInvariant(why[0])}{why[1..]}. {result.Reason}" };
    }

    /// <summary>
    /// The <c>--variant</c> names, each option one or more comma-separated (no variant name has a comma); null when
    /// none is given (every variant). Whether a name exists is known only after the server's banner (see ProbeDialogue).
    /// </summary>
    private static List<string>? Variants(CliArguments a)
    {
        var given = a.Values("--variant");
        if (given.Count == 0) return null;
        var names = given.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (names.Any(n => n.Length == 0)) throw new CliUsageException($"--variant needs a variant name, not \"{string.Join(",", given)}\"");
        return names;
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
