using System.Diagnostics;
using System.Globalization;
using Notifier.Bench;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

// dotnet Notifier.Bench.dll seed <database file> <cases>
// dotnet Notifier.Bench.dll reset-operators <database file>
// dotnet Notifier.Bench.dll pages <base url> <user> <password> <cases> [runs] [repeats]
// dotnet Notifier.Bench.dll peers <count> <port> <delay ms>      (until stdin closes or SIGTERM)
// dotnet Notifier.Bench.dll render <notices per template>
// scripts/bench-pages.sh runs seed and pages around the real service; scripts/bench.sh runs peers and render.
switch (args)
{
    case ["peers", var count, var port, var delay]:
        {
            await using var peers = new ClosedRelayPeers(int.Parse(count, CultureInfo.InvariantCulture), int.Parse(port, CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(int.Parse(delay, CultureInfo.InvariantCulture)));
            Console.WriteLine($"listening on {count} addresses from {ClosedRelayPeers.Address(0)}, port {port}");
            using var stop = new CancellationTokenSource();
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
            Console.WriteLine($"{peers.Sessions} sessions served");
            return 0;
        }
    case ["render", var count]:
        {
            // A first, unreported pass over every template: the figure is a running service's rate. The first
            // renders of a process run the templates' few hundred small methods unoptimised until tiered compilation
            // replaces them in the background, which took longer than the first template's timed run (FirstNotice,
            // benched first, measured 3,500/s in `render 2000` and 10,400/s in `render 10000`).
            foreach (var kind in Enum.GetValues<Notifier.Notices.NoticeKind>())
                await NoticeRenderTimer.NoticesPerSecondAsync(kind, int.Parse(count, CultureInfo.InvariantCulture));
            Console.WriteLine("| template | notices | notices/s |");
            Console.WriteLine("|---|---|---|");
            foreach (var kind in Enum.GetValues<Notifier.Notices.NoticeKind>())
            {
                var perSecond = await NoticeRenderTimer.NoticesPerSecondAsync(kind, int.Parse(count, CultureInfo.InvariantCulture));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind} | {count} | {perSecond:0} |"));
            }
            return 0;
        }
    case ["seed", var file, var count]:
        {
            var watch = Stopwatch.StartNew();
            var rows = await CaseSeeder.SeedAsync(DataExtensions.SqliteConnectionString($"Data Source={file}"), int.Parse(count, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count} cases ({rows} case, probe and event rows, with their contacts and notices) in {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }
    case ["pages", var url, var user, var password, var count, .. var rest]:
        {
            // Issue 17 benchmark 3, as rows of the README table: each page timed `repeats` times (`runs` requests
            // each), its p50 and p95 given as min / median / max over the repeats; the queue's and the searches' p95
            // against the goal (under 50 ms at 100,000 cases).
            var runs = rest is [var r, ..] ? int.Parse(r, CultureInfo.InvariantCulture) : 100;
            var repeats = rest is [_, var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 3;
            var cases = int.Parse(count, CultureInfo.InvariantCulture);
            using var timer = new PageTimer(new Uri(url));
            await timer.SignInAsync(user, password);
            (string Page, string Path, bool Goal)[] pages =
            [
                ("queue", "/", true),
                ("search by address", "/cases?q=127.1.200.", true),
                ("search by contact", "/cases?q=net4711.example", true),
                ("case list", "/cases", true),
                ("case page", "/cases/" + (cases / 2).ToString(CultureInfo.InvariantCulture), false),
            ];
            foreach (var (page, path, goal) in pages)
            {
                var p50 = new List<double>();
                var p95 = new List<double>();
                for (var i = 0; i < repeats; i++)
                {
                    var ms = await timer.TimeAsync(path, runs, warmup: 10) ?? throw new InvalidOperationException($"{path} is not served");
                    p50.Add(PageTimer.Percentile(ms, 50));
                    p95.Add(PageTimer.Percentile(ms, 95));
                }
                var at = cases.ToString("N0", CultureInfo.InvariantCulture);
                Console.WriteLine(PageTimer.TableRow($"{page} p50 at {at} cases (ms)", p50, null));
                Console.WriteLine(PageTimer.TableRow($"{page} p95 at {at} cases (ms)", p95, goal && cases == 100_000 ? 50 : null));
            }
            return 0;
        }
    case ["reset-operators", var file]:
        {
            // A reused database: no operator left, so the service creates "admin" and prints its password again.
            await using var db = new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={file}")).Options);
            await db.Operators.ExecuteDeleteAsync();
            return 0;
        }
    default:
        Console.Error.WriteLine("usage: seed <database file> <cases> | pages <base url> <user> <password> <cases> [runs] [repeats] | peers <count> <port> <delay ms> | render <notices>");
        return 2;
}
