using Notifier.Auth;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Hosting;
using Notifier.Intake;
using Notifier.Jobs;
using Notifier.Notices;
using Notifier.Probing;
using Notifier.ReferenceData;

namespace Notifier.Cli;

/// <summary>
/// The command-line verbs of the one binary: <c>dotnet run --project src/Notifier -- &lt;verb&gt; …</c>.
/// They read the same configuration as the service (appsettings.json, <c>Notifier__…</c> environment variables).
/// Exit codes: 0 done, 2 bad arguments (one line on stderr), 1 internal failure.
/// </summary>
public static class CliApp
{
    private static readonly HashSet<string> Verbs = ["probe", "contacts", "apikey", "import", "import-eml", "operator", "notices", "backup", "export", "health", "help", "--help"];

    /// <summary>Verbs that work on the database (and so migrate it first).</summary>
    private static readonly HashSet<string> DataVerbs = ["apikey", "import", "import-eml", "operator", "notices", "export"];

    /// <summary>Verbs that use the Public Suffix List or the RDAP bootstrap.</summary>
    private static readonly HashSet<string> ReferenceDataVerbs = ["contacts"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            // health asks the running service over HTTP: no configuration, no feature, nothing to build.
            if (args[0] == "health") return await HealthCommand.RunAsync(args[1..], Console.Out, Console.Error, cancel.Token);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
            });
            // The CLI prints its own output; framework logging would interleave with it.
            builder.Logging.ClearProviders();
            builder.Configuration.AddNotifierEnvironment();
            builder.AddProbing();
            builder.AddContacts();
            // Verbs that look contacts up use the reference data the service stored (ReferenceData:Directory), not the
            // shipped copies; they load it as the service does at start and download nothing themselves.
            if (ReferenceDataVerbs.Contains(args[0])) builder.AddReferenceData();
            if (DataVerbs.Contains(args[0]))
            {
                // Jobs enqueued here have no worker; the service's dispatcher finds due cases in the database.
                builder.Configuration["Jobs:RunServer"] = "false";
                builder.AddData();
                builder.AddAuth();
                builder.AddIntake();
                builder.AddCases();
                builder.AddJobs();
                if (args[0] == "notices") builder.AddNotices();
            }
            // backup reads the database as it is: no migration, no other feature.
            if (args[0] == "backup") builder.AddData();
            using var host = builder.Build();
            if (DataVerbs.Contains(args[0])) await host.Services.MigrateDatabaseAsync(cancel.Token);
            if (ReferenceDataVerbs.Contains(args[0])) host.Services.LoadReferenceData();
            var rest = args[1..];
            return args[0] switch
            {
                "probe" => await ProbeCommand.RunAsync(host.Services, rest, Console.Out, Console.Error, cancel.Token),
                "contacts" => await ContactsCommand.RunAsync(host.Services, rest, Console.Out, Console.Error, cancel.Token),
                "apikey" => await ApiKeyCommand.RunAsync(host.Services, rest, Console.Out, cancel.Token),
                "import" => await ImportCommand.RunCsvAsync(host.Services, rest, Console.Out, cancel.Token),
                "import-eml" => await ImportCommand.RunEmlAsync(host.Services, rest, Console.Out, cancel.Token),
                "operator" => await OperatorCommand.RunAsync(host.Services, rest, Console.Out, cancel.Token),
                "notices" => await NoticesCommand.RunAsync(host.Services, rest, Console.Out, cancel.Token),
                "backup" => await BackupCommand.RunAsync(host.Services, rest, Console.Out, cancel.Token),
                "export" => await ExportCommand.RunAsync(host.Services, rest, Console.OpenStandardOutput(), Console.Error, cancel.Token),
                _ => Help(),
            };
        }
        catch (CliUsageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("configuration error: " + string.Join("; ", e.Failures));
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"internal error: {e}");
            return 1;
        }
    }

    private static int Help()
    {
        Console.WriteLine("""
            verbs:
              probe <host>[:<port>] …          test a mail server for open relaying (probe --help)
              contacts <ip> [--json]           who to notify about an address, with the evidence
              apikey create <name> [--scope read|write] | list | revoke <name>
              import <relays.csv>              open cases from a CSV (address[,port][,source][,note])
              import-eml <sample.eml>          open a case from a spam sample's Received chain
              operator add <name> [--role viewer|operator|admin] | list | set-role <name> <role>
                     | disable <name> | enable <name> | reset-password <name>
              notices preview <case> [--template T] [--lang de] [--contact address] [--html]
                                               render a notice for a case without sending it
              backup <file>                    a consistent copy of the SQLite database (the service may run)
              export cases|contacts [--format csv|json] [--state S] [--since DATE] [--output FILE]
                                               cases or their contacts for CERTs and upstreams
              health <url>                     exit 0 when the service's health endpoint answers 2xx
            """);
        return 0;
    }
}
