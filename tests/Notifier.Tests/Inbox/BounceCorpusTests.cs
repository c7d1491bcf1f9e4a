using MimeKit;
using Notifier.Inbox;
using Xunit.Abstractions;

namespace Notifier.Tests.Inbox;

/// <summary>
/// Real-world bounces, auto-replies and feedback reports (Corpus/SOURCES.md says where each came from) through the
/// classifier, scored against Corpus/expectations.csv, whose values come from each message's own DSN fields or MTA
/// text and sisimai's published expectations, never from this parser. The figures are printed in the test output.
/// </summary>
public sealed class BounceCorpusTests(ITestOutputHelper output)
{
    private sealed record Expected(string File, string Class, IReadOnlyList<string> Recipients, string Action, IReadOnlyList<string> Statuses);

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Inbox", "Corpus");

    private static List<Expected> Expectations()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "expectations.csv"));
        Assert.Equal("file,class,recipients,action,status,source,expected_from", lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(f => new Expected(
            f[0], f[1], Split(f[2]), f[3], Split(f[4]))).ToList();

        static List<string> Split(string s) => s.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(x => x.ToLowerInvariant()).ToList();
    }

    [Fact]
    public void Classify_MeetsTheIssueTargets_WhenRunOverTheCorpus()
    {
        var all = Expectations();
        var bounces = all.Where(e => e.Class == "bounce").ToList();
        int recognised = 0, recipientRight = 0, statusScored = 0, statusRight = 0, asAutoReply = 0, othersRight = 0;
        var bogus = new List<string>();
        var misses = new List<string>();
        foreach (var e in all)
        {
            var message = MimeMessage.Load(Path.Combine(Folder, e.File));
            var result = MailClassifier.Classify(message);
            var cls = result?.Class ?? "not-bounce";
            if (e.Class != "bounce")
            {
                var ok = e.Class == "not-bounce" ? cls is not (InboundClass.Bounce or InboundClass.Complaint) : cls == e.Class;
                if (ok) othersRight++; else misses.Add($"{e.File}: expected {e.Class}, got {cls}");
                continue;
            }
            if (cls == InboundClass.AutoReply) asAutoReply++;
            if (cls != InboundClass.Bounce) { misses.Add($"{e.File}: not recognised ({cls})"); continue; }
            recognised++;
            var got = result!.Bounce!.Recipients;
            var addresses = got.Select(r => r.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (addresses.SetEquals(e.Recipients)) recipientRight++;
            else misses.Add($"{e.File}: recipients [{string.Join(' ', addresses)}], expected [{string.Join(' ', e.Recipients)}]");
            foreach (var r in got.Where(r => r.Permanent && !e.Recipients.Contains(r.Address, StringComparer.OrdinalIgnoreCase)))
                bogus.Add($"{e.File}: {r.Address}");
            if (e.Statuses.Count > 0)
            {
                statusScored++;
                var statuses = got.Select(r => r.Status).OfType<string>().ToHashSet(StringComparer.Ordinal);
                if (statuses.SetEquals(e.Statuses)) statusRight++;
                else misses.Add($"{e.File}: status [{string.Join(' ', statuses)}], expected [{string.Join(' ', e.Statuses)}]");
            }
        }
        var others = all.Count - bounces.Count;
        output.WriteLine($"corpus: {all.Count} messages, {bounces.Count} bounces from {bounces.Select(b => Mta(b.File)).Distinct().Count()} MTAs/providers");
        output.WriteLine($"recognised:      {recognised}/{bounces.Count} ({Percent(recognised, bounces.Count)})");
        output.WriteLine($"recipient right: {recipientRight}/{bounces.Count} ({Percent(recipientRight, bounces.Count)})");
        output.WriteLine($"status right:    {statusRight}/{statusScored} ({Percent(statusRight, statusScored)}) where the code is in the message");
        output.WriteLine($"bogus failed recipients: {bogus.Count}; bounces logged as auto-replies: {asAutoReply}");
        output.WriteLine($"auto-replies, complaints, non-bounces right: {othersRight}/{others}");
        foreach (var m in misses.Concat(bogus.Select(b => "bogus " + b))) output.WriteLine("  " + m);

        Assert.True(all.Count >= 150 && bounces.Select(b => Mta(b.File)).Distinct().Count() >= 20, "the corpus is smaller than the issue asks");
        Assert.Empty(bogus);
        Assert.Equal(0, asAutoReply);
        Assert.Equal(others, othersRight);
        Assert.True(recognised >= 0.97 * bounces.Count, $"recognised {Percent(recognised, bounces.Count)} < 97%");
        Assert.True(recipientRight >= 0.95 * bounces.Count, $"recipient right {Percent(recipientRight, bounces.Count)} < 95%");
        Assert.True(statusRight >= 0.90 * statusScored, $"status right {Percent(statusRight, statusScored)} < 90%");
    }

    /// <summary><c>lhost-postfix-07.eml</c> → <c>lhost-postfix</c> (sisimai names files by MTA or provider).</summary>
    private static string Mta(string file) => file[..file.LastIndexOf('-')];

    private static string Percent(int n, int of) => of == 0 ? "n/a" : $"{100.0 * n / of:F1}%";
}
