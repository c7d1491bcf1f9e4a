using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>Builds a real <see cref="RelayProbe"/> with test options: lab targets allowed, short timeouts, no pacing.</summary>
public static class ProbeHarness
{
    public static ProbingOptions Options(Action<ProbingOptions>? change = null)
    {
        var o = new ProbingOptions
        {
            CanaryDomain = "canary.test",
            HeloName = "prober.notifier.test",
            AllowPrivateTargets = true,
            // Generous: a loaded 2-core CI machine can take seconds for a TLS handshake. Tests of slow peers set their own.
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReplyTimeout = TimeSpan.FromSeconds(10),
            TotalTimeout = TimeSpan.FromSeconds(30),
            MinIntervalPerTarget = TimeSpan.Zero,
            MinIntervalPerNetwork = TimeSpan.Zero,
            MaxConcurrentPerNetwork = 100,
            OperatorName = "Notifier tests",
            OperatorContact = "abuse@desk.test",
        };
        change?.Invoke(o);
        return o;
    }

    /// <param name="resolver">Resolves host names; by default against loopback port 53, where nothing answers.</param>
    public static RelayProbe Create(ProbingOptions? options = null, ProbeTokenKey? key = null, TargetResolver? resolver = null)
    {
        var o = Microsoft.Extensions.Options.Options.Create(options ?? Options());
        resolver ??= new TargetResolver(new DnsClient.LookupClient(new DnsClient.LookupClientOptions(System.Net.IPAddress.Loopback) { Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 }));
        return new RelayProbe(o, resolver, new ProbeThrottle(o, TimeProvider.System), key ?? TestKey, TimeProvider.System);
    }

    public static readonly ProbeTokenKey TestKey = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static Task<ProbeResult> ProbeAsync(ScriptedSmtpServer server, ProbeMode mode = ProbeMode.Quick, ProbingOptions? options = null) =>
        Create(options).ProbeAsync(new ProbeRequest { Host = "127.0.0.1", Port = server.Port, Mode = mode }, CancellationToken.None);
}
