using System.Runtime.CompilerServices;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

/// <summary>
/// Every template, in both languages and on the models that take its rarer paths (each MTA's advice, batches, hostile
/// values), renders byte for byte what is in Golden/: a change to how notices are rendered (speed work, a renderer
/// upgrade) must not change a byte that a relay owner receives. A mismatch leaves the output beside the golden file as
/// <c>.actual</c>; after a deliberate change to a template, review the diff and move the <c>.actual</c> files over.
/// </summary>
public class NoticeGoldenTests
{
    private static readonly string[] AllMtas = ["Postfix", "Exim", "Sendmail", "Microsoft Exchange", "qmail", "OpenSMTPD", "Haraka", "MDaemon", "unknown", ""];

    public static TheoryData<string> Cases() => [.. Models().Keys];

    private static Dictionary<string, NoticeModel> Models()
    {
        var models = new Dictionary<string, NoticeModel>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<NoticeKind>())
        {
            foreach (var language in (string[])["en", "de"])
            {
                models[$"{kind}-{language}"] = NoticeModels.Model(kind, language);
                // Every MTA's advice, an IPv6 relay with no host name, and relays only in the CSV.
                var relays = AllMtas.Select((mta, i) => NoticeModels.Relay(i % 2 == 0 ? "plain" : "percent-hack", mta) with
                {
                    CaseReference = $"NR-{124 + i:000000}",
                    Address = i == 3 ? "2001:db8::25" : $"192.0.2.{11 + i}",
                    Port = i switch { 1 => 465, 2 => 587, _ => 25 },
                    HostName = i == 3 ? null : $"mx{i}.example.net",
                }).ToArray();
                models[$"{kind}-{language}-batch"] = NoticeModels.Model(kind, language, relays) with { RelaysOnlyInAttachment = 4 };
                var hostile = NoticeModels.Relay(hostName: "evil<script>alert(1)</script>.example\r\nBcc: victim@example.org & \"co\"" + NoticeRendererText.LineBreak) with
                {
                    Banner = "220 <img src=x onerror=alert(2)> ESMTP \u00e9\u00fc\u4e2d",
                    TranscriptExcerpt = ["2026-12-01T03:15:07.120Z <- 220 <b onmouseover=alert(3)>hi</b>\tx\u2028y", "", "   indented  twice  "],
                };
                models[$"{kind}-{language}-hostile"] = NoticeModels.Model(kind, language, hostile);
            }
        }
        return models;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RenderAsync_WritesTheGoldenBytes_ForEveryTemplateAndPath(string name)
    {
        var notice = await NoticeRendering.RenderAsync(Models()[name]);

        var mismatches = new List<string>();
        foreach (var (file, actual) in new (string, string)[] { ($"{name}.subject.txt", notice.Subject), ($"{name}.html", notice.Html), ($"{name}.txt", notice.Text) })
        {
            var path = Path.Combine(GoldenDirectory(), file);
            var expected = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
            if (expected == actual)
            {
                File.Delete(path + ".actual");
                continue;
            }
            await File.WriteAllTextAsync(path + ".actual", actual);
            mismatches.Add(expected is null ? $"{file}: no golden file" : $"{file}: differs (see {file}.actual)");
        }
        Assert.Empty(mismatches);
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
