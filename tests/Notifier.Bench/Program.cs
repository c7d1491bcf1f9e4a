using System.Diagnostics;
using System.Globalization;
using Notifier.Bench;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

// dotnet Notifier.Bench.dll seed <database file> <cases>
// dotnet Notifier.Bench.dll reset-operators <database file>
// dotnet Notifier.Bench.dll measure <base url> <user> <password> [runs]
// dotnet Notifier.Bench.dll peers <count> <port> <delay ms>      (until stdin closes or SIGTERM)
// dotnet Notifier.Bench.dll render <notices per template>
// scripts/bench-dashboard.sh runs seed and measure around the real service; scripts/bench.sh runs peers and render.
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
    case ["measure", var url, var user, var password, .. var rest]:
        {
            var runs = rest is [var r] ? int.Parse(r, CultureInfo.InvariantCulture) : 200;
            using var timer = new PageTimer(new Uri(url));
            await timer.SignInAsync(user, password);
            // A case in the middle of the seeded range, a search by a /16 address prefix and by a contact's domain.
            (string Page, string Path)[] pages =
            [
                ("queue", "/"),
                ("cases search (address)", "/cases?q=127.1.200."),
                ("cases search (contact)", "/cases?q=net4711.example"),
                ("case page", "/cases/50000"),
            ];
            Console.WriteLine("| page | request | runs | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (page, path) in pages) Console.WriteLine(PageTimer.Row(page, path, await timer.TimeAsync(path, runs, warmup: 10)));
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
        Console.Error.WriteLine("usage: seed <database file> <cases> | measure <base url> <user> <password> [runs] | peers <count> <port> <delay ms> | render <notices>");
        return 2;
}
