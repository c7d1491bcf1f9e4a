using System.Text.RegularExpressions;
using Notifier.Tests.Lab;

namespace Notifier.Tests;

/// <summary>
/// The folder rules of DESIGN.md, read from the source: which feature folder of src/Notifier uses which
/// (a <c>using Notifier.X</c> or a qualified <c>Notifier.X.</c> name in a .cs or .cshtml file).
/// Data's DbContext names every feature's entities, so edges out of Data are not counted as cycles.
/// <see cref="KnownCycleEdges"/> and <see cref="KnownForbidden"/> are the debts of today's code that issue 9
/// pays off; the tests fail on any new one, and on a listed one that is gone (so the lists only shrink).
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Edges that close a folder cycle: none left (issue 9 removed Cases ⇄ Contacts); none may be added.</summary>
    private static readonly HashSet<(string From, string To)> KnownCycleEdges = [];

    /// <summary>Forbidden dependencies that exist today: none; the list stays empty.</summary>
    private static readonly HashSet<(string From, string To)> KnownForbidden = [];

    [Fact]
    public void Probing_UsesNothingOfTheService()
    {
        var graph = Dependencies();

        Assert.Empty(graph.GetValueOrDefault("Probing", []));
    }

    /// <summary>Notices is a library like Probing (it may use Probing's DKIM key handling): no database, no Hangfire, no case work.</summary>
    [Fact]
    public void Notices_UsesOnlyProbing()
    {
        var graph = Dependencies();
        var databaseOrJobs = SourceFiles("Notices").Where(f => DatabaseOrJobsUsing().IsMatch(File.ReadAllText(f))).ToList();

        Assert.Equal([], graph.GetValueOrDefault("Notices", []).Except(["Probing"]).Order());
        Assert.Empty(databaseOrJobs);
    }

    [Fact]
    public void ForbiddenDependencies_AreOnlyTheKnownOnes()
    {
        var graph = Dependencies();
        var forbidden = new List<(string, string)>();
        foreach (var to in graph.GetValueOrDefault("Pages", [])) if (to is "Probing") forbidden.Add(("Pages", to));
        foreach (var to in graph.GetValueOrDefault("Data", [])) if (to is "Pages") forbidden.Add(("Data", to));
        // Pages never speak SMTP: they change the case and enqueue a job (DESIGN.md).
        var smtpInPages = SourceFiles("Pages").Where(f => MailKitUsing().IsMatch(File.ReadAllText(f))).ToList();

        Assert.Empty(smtpInPages);
        Assert.Equal(KnownForbidden.Order().ToList(), forbidden.Order().ToList());
    }

    [Fact]
    public void FolderCycles_AreOnlyTheKnownOnes()
    {
        var graph = Dependencies();
        // An edge closes a cycle when its target reaches back to its source (not through Data).
        var cycleEdges = graph
            .Where(kv => kv.Key != "Data")
            .SelectMany(kv => kv.Value.Select(to => (From: kv.Key, To: to)))
            .Where(e => e.To != "Data" && Reaches(graph, e.To, e.From))
            .ToHashSet();
        var added = cycleEdges.Except(KnownCycleEdges).Order().ToList();
        var gone = KnownCycleEdges.Except(cycleEdges).Order().ToList();

        Assert.True(added.Count == 0, "new folder cycle edges: " + string.Join(", ", added.Select(e => $"{e.From} → {e.To}")));
        Assert.True(gone.Count == 0, "cycle edges gone (remove them from KnownCycleEdges): " + string.Join(", ", gone.Select(e => $"{e.From} → {e.To}")));
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string target)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var at))
        {
            if (at == target) return true;
            if (at == "Data" || !seen.Add(at)) continue;
            foreach (var next in graph.GetValueOrDefault(at, [])) stack.Push(next);
        }
        return false;
    }

    /// <summary>Folder → the other folders its files name.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var src = Path.Combine(Lab.Lab.RepositoryRoot(), "src", "Notifier");
        var folders = Directory.GetDirectories(src).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj" or "wwwroot" or "Properties")).ToHashSet();
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var folder in folders)
        {
            var uses = new HashSet<string>();
            foreach (var file in SourceFiles(folder))
            {
                foreach (Match m in FolderReference().Matches(File.ReadAllText(file)))
                {
                    var to = m.Groups["folder"].Value;
                    if (to != folder && folders.Contains(to)) uses.Add(to);
                }
            }
            graph[folder] = uses;
        }
        Assert.Contains("Probing", graph.Keys);
        return graph;
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        var dir = Path.Combine(Lab.Lab.RepositoryRoot(), "src", "Notifier", folder);
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(dir, "*.cshtml", SearchOption.AllDirectories));
    }

    [GeneratedRegex(@"\bNotifier\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex FolderReference();

    [GeneratedRegex(@"^\s*@?using\s+MailKit\b", RegexOptions.Multiline)]
    private static partial Regex MailKitUsing();

    [GeneratedRegex(@"^\s*@?using\s+(Hangfire|Microsoft\.EntityFrameworkCore)\b", RegexOptions.Multiline)]
    private static partial Regex DatabaseOrJobsUsing();
}
