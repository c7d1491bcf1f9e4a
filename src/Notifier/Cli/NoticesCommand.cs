using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Notices;

namespace Notifier.Cli;

/// <summary>
/// <c>notices preview &lt;case&gt; [--template T] [--lang de] [--contact address] [--html]</c>: renders a notice for a case
/// from the database without sending it (the text part, or the HTML with --html), with its subject and attachments.
/// </summary>
public static class NoticesCommand
{
    private static readonly HashSet<string> Flags = ["--html"];
    private static readonly HashSet<string> Valued = ["--template", "--lang", "--contact"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] != "preview")
            throw new CliUsageException("usage: notices preview <case> [--template FirstNotice|Reminder|StillOpen|Resolved|Escalation] [--lang en|de] [--contact address] [--html]");
        var a = CliArguments.Parse(args[1..], Flags, Valued);
        if (a.Positional.Count != 1) throw new CliUsageException("notices preview takes one case (NR-000123 or 123)");
        var caseId = CaseReference.Find(a.Positional[0]) ?? (int.TryParse(a.Positional[0], out var n) && n > 0 ? n : (int?)null)
            ?? throw new CliUsageException($"\"{a.Positional[0]}\" is not a case (NR-000123 or 123)");
        var kind = NoticeKind.FirstNotice;
        if (a.Value("--template") is { } t && (!Enum.TryParse(t, ignoreCase: true, out kind) || !Enum.IsDefined(kind)))
            throw new CliUsageException($"--template must be one of {string.Join(", ", Enum.GetNames<NoticeKind>())}");
        var lang = a.Value("--lang");
        if (lang is not (null or NoticeLanguage.English or NoticeLanguage.German)) throw new CliUsageException("--lang must be en or de");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.NotifierDb>();
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, ct)) throw new CliUsageException($"there is no case {CaseReference.Format(caseId)}");
        var (preview, error) = await scope.ServiceProvider.GetRequiredService<NoticePreview>().RenderAsync(caseId, kind, lang, a.Value("--contact"), ct);
        if (error is not null) throw new CliUsageException(error);
        await output.WriteLineAsync($"To: {preview!.Recipient}");
        await output.WriteLineAsync($"Subject: {preview.Subject}");
        await output.WriteLineAsync($"Language: {preview.Language}");
        foreach (var attachment in preview.Attachments) await output.WriteLineAsync($"Attachment: {attachment}");
        foreach (var note in preview.Notes) await output.WriteLineAsync($"Note: {note}");
        await output.WriteLineAsync();
        await output.WriteLineAsync(a.Has("--html") ? preview.Html : preview.Text);
        return 0;
    }
}
