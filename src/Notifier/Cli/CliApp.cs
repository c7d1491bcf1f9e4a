using Notifier.Contacts;
using Notifier.Probing;

namespace Notifier.Cli;

/// <summary>
/// The command-line verbs of the one binary: <c>dotnet run --project src/Notifier -- &lt;verb&gt; …</c>.
/// Exit codes: 0 done, 2 bad arguments (one line on stderr), 1 internal failure.
/// </summary>
public static class CliApp
{
    private static readonly HashSet<string> Verbs = ["probe", "contacts", "help", "--help"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
            });
            // The CLI prints its own output; framework logging would interleave with it.
            builder.Logging.ClearProviders();
            builder.AddProbing();
            builder.AddContacts();
            using var host = builder.Build();
            return args[0] switch
            {
                "probe" => await ProbeCommand.RunAsync(host.Services, args[1..], Console.Out, Console.Error, cancel.Token),
                "contacts" => await ContactsCommand.RunAsync(host.Services, args[1..], Console.Out, Console.Error, cancel.Token),
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
        Console.WriteLine("verbs:\n  probe <host>[:<port>] …   test a mail server for open relaying (probe --help)\n  contacts <ip>             who to notify about an address, with evidence (contacts --help)");
        return 0;
    }
}
