using DnsClient;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Cli;

/// <summary>
/// <c>probe --file targets.txt [--concurrency N] [--json-lines]</c>: many targets in one process, each result
/// printed as it finishes (with <c>--json-lines</c> one JSON object per line, the shape of <c>probe --json</c>), a
/// progress line per target on stderr. Every dialogue goes through the same <see cref="ProbeThrottle"/> as the
/// service's probes: one at a time per target, Probing:MaxConcurrentPerNetwork per /24 (IPv6 /64) started
/// Probing:MinIntervalPerNetwork apart, and at most Probing:MaxConcurrentProbes in all. A line that is not a target, or a target that cannot be probed (no such
/// host, a private address without --allow-private), is reported with its line number and the run goes on.
/// </summary>
public static class ProbeFileCommand
{
    /// <summary>The exit code when any target relayed (a recipient at the canary domain was accepted), like grep's "found".</summary>
    public const int RelayFound = 3;

    public static async Task<int> RunAsync(IServiceProvider services, CliArguments a, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (a.Positional.Count > 0) throw new CliUsageException($"probe --file takes its targets from the file, not also \"{a.Positional[0]}\"");
        if (a.Has("--confirm")) throw new CliUsageException("--confirm watches the mailbox for one probe; run it on a single target");
        if (a.Has("--json")) throw new CliUsageException("--json prints one target's result; with --file use --json-lines (one JSON object per line)");
        var path = a.Value("--file")!;
        if (!File.Exists(path)) throw new CliUsageException($"no such file: {path}");
        var maxConcurrent = services.GetRequiredService<IOptions<ProbingOptions>>().Value.MaxConcurrentProbes;
        // More at once than the throttle's global limit would only queue in it; say so rather than pretend.
        var concurrency = a.WholeNumber("--concurrency", 1, maxConcurrent) ?? maxConcurrent;
        var template = ProbeCommand.RequestFor(a, host: "", port: null);
        var list = ProbeTargetList.Parse(await File.ReadAllLinesAsync(path, ct), a.WholeNumber("--port", 1, 65535));
        var jsonLines = a.Has("--json-lines");

        foreach (var bad in list.BadLines) await stderr.WriteLineAsync($"{path}:{bad.Line}: {bad.Reason}; skipped");
        foreach (var r in list.Repeats) await stderr.WriteLineAsync($"{path}:{r.Line}: {r.Text} is already on line {r.FirstLine}; probed once");

        var probe = services.GetRequiredService<IRelayProbe>();
        var gate = new Lock();
        int done = 0, relays = 0, failed = 0;
        var total = list.Targets.Count;
        await Parallel.ForEachAsync(list.Targets, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (target, token) =>
        {
            ProbeResult? result = null;
            string? error = null;
            try
            {
                result = await probe.ProbeAsync(template with { Host = target.Host, Port = target.Port ?? template.Port }, token);
            }
            catch (Exception e) when (e is ProbeRequestException or ProbeThrottledException or DnsResponseException)
            {
                error = e.Message;
            }
            lock (gate)
            {
                done++;
                if (result is not null)
                {
                    if (ProbeVerdict.IsSuspected(result.Verdict)) relays++;
                    stdout.WriteLine(jsonLines ? ProbeResultJson.Serialize(result) : ProbeOutput.Line(result));
                }
                else
                {
                    failed++;
                    stderr.WriteLine($"{path}:{target.Line}: {target.Text}: {error}");
                }
                stderr.WriteLine($"[{done}/{total}] {target.Text} {result?.Verdict ?? "not probed"} ({relays} relaying, {failed} not probed)");
            }
        });
        await stdout.FlushAsync(ct);
        await stderr.WriteLineAsync($"{total} targets: {relays} relaying, {total - relays - failed} not relaying, {failed} not probed; {list.BadLines.Count} bad lines, {list.Repeats.Count} repeated");
        return relays > 0 ? RelayFound : 0;
    }
}
