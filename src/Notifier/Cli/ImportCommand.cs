using Notifier.Cases;
using Notifier.Intake;

namespace Notifier.Cli;

/// <summary>
/// <c>import relays.csv</c> and <c>import-eml sample.eml</c>: the same intake as the API. The cases are probed
/// by the running service (its dispatcher picks up due cases within a minute).
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunCsvAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var path = SinglePath(args, "usage: import <relays.csv>");
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        await using var file = File.OpenRead(path);
        var parsed = await sp.GetRequiredService<RelayCsvParser>().ParseAsync(file, ct);
        if (parsed.Error is { } error) throw new CliUsageException($"{path}: {error}");
        var done = await sp.GetRequiredService<CaseIntake>().ImportAsync(parsed.Rows, "cli", ct);
        foreach (var (row, outcome) in done)
            await stdout.WriteLineAsync($"line {row.Line}: {outcome.Case.Reference} {row.Relay.CaseKey} {(outcome.Created ? "opened" : "report added to the open case")}");
        foreach (var r in parsed.Rejected) await stdout.WriteLineAsync($"line {r.Line}: rejected: {r.Field}: {r.Reason}");
        foreach (var d in parsed.Duplicates) await stdout.WriteLineAsync($"line {d.Line}: duplicate of line {d.FirstLine} ({d.CaseKey})");
        await stdout.WriteLineAsync($"{done.Count(d => d.Outcome.Created)} opened, {done.Count(d => !d.Outcome.Created)} added to open cases, {parsed.Rejected.Count} rejected, {parsed.Duplicates.Count} duplicates");
        return 0;
    }

    public static async Task<int> RunEmlAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var path = SinglePath(args, "usage: import-eml <sample.eml>");
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var raw = await File.ReadAllBytesAsync(path, ct);
        var parsed = sp.GetRequiredService<SpamSampleParser>().Parse(raw);
        if (parsed.Error is { } error) throw new CliUsageException($"{path}: {error}");
        if (!parsed.HasSuspect) throw new CliUsageException($"{path}: {parsed.Summary}");
        var (outcome, _) = await sp.GetRequiredService<CaseIntake>().AddSampleAsync(parsed, raw, "cli", ct);
        await stdout.WriteLineAsync($"{outcome.Case.Reference} {outcome.Case.RelayKey} {(outcome.Created ? "opened" : "sample added to the open case")}: {parsed.Summary}");
        return 0;
    }

    private static string SinglePath(string[] args, string usage)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (a.Positional.Count != 1) throw new CliUsageException(usage);
        if (!File.Exists(a.Positional[0])) throw new CliUsageException($"no such file: {a.Positional[0]}");
        return a.Positional[0];
    }
}
