using Microsoft.Extensions.Options;
using Notifier.Cases;

namespace Notifier.Cli;

/// <summary>
/// <c>export cases|contacts [--format csv|json] [--state S] [--since DATE] [--output FILE]</c>: the cases (or their
/// contacts) for a CERT or an upstream, written by <see cref="CaseExport"/> as the API writes them, to stdout or a file.
/// Every state unless <c>--state</c> is given; <c>--since</c> keeps the cases changed since that date.
/// </summary>
public static class ExportCommand
{
    private const string Usage = "usage: export cases|contacts [--format csv|json] [--state S] [--since 2026-11-01] [--output FILE]";
    private static readonly HashSet<string> Flags = [];
    private static readonly HashSet<string> Valued = ["--format", "--state", "--since", "--output"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, Stream stdout, TextWriter report, CancellationToken ct)
    {
        var a = CliArguments.Parse(args, Flags, Valued);
        if (a.Positional.Count != 1) throw new CliUsageException(Usage);
        var kind = ExportKinds.Read(a.Positional[0]) ?? throw new CliUsageException(Usage);
        var format = ExportFormats.Read(a.Value("--format")) ?? throw new CliUsageException("--format must be csv or json");
        if (!CaseExport.TryReadSince(a.Value("--since"), out var since)) throw new CliUsageException("--since " + CaseExport.SinceProblem);
        var (query, errors) = CaseListFilter.OfState(a.Value("--state")).Read(me: null, openWhenNoState: false, CaseListOrder.NewestFirst);
        if (query is null) throw new CliUsageException(string.Join("; ", errors.Select(e => $"--{e.Key} {e.Value}")));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.NotifierDb>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var retests = scope.ServiceProvider.GetRequiredService<IOptions<RetestOptions>>().Value;
        var json = scope.ServiceProvider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var cases = CaseExport.ChangedSince(CaseQueries.Filter(db, query, time.GetUtcNow(), retests), since);
        if (a.Value("--output") is not { } file)
        {
            await CaseExport.WriteAsync(db, cases, kind, format, stdout, json, ct);
            await stdout.FlushAsync(ct);
            return 0;
        }
        // Written beside the file and moved over it when complete: a failed export never leaves half a file for the CERT.
        var full = Path.GetFullPath(file);
        var partial = full + ".partial";
        try
        {
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                await CaseExport.WriteAsync(db, cases, kind, format, output, json, ct);
            File.Move(partial, full, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        await report.WriteLineAsync($"wrote {kind.Name()} as {format.Extension()} to {full}");
        return 0;
    }
}
