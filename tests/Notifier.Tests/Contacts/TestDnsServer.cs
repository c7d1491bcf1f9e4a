using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
// ARSoft's record types share names with DnsClient's (ARecord, PtrRecord, …); the test server speaks ARSoft only.
using ArDnsRecord = ARSoft.Tools.Net.Dns.DnsRecordBase;
using ArSoaRecord = ARSoft.Tools.Net.Dns.SoaRecord;

namespace Notifier.Tests.Contacts;

/// <summary>
/// An authoritative DNS server on 127.0.0.1 (UDP and TCP, one free port) serving fixture records. Names with a
/// behaviour answer SERVFAIL or answer late (to exceed the client's timeout). NXDOMAIN and NODATA carry the
/// enclosing zone's SOA in the authority section, as a real authoritative server's do.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    public enum Behaviour
    {
        ServFail,
        Slow,
    }

    private readonly List<ArDnsRecord> _records = [];
    private readonly Dictionary<string, Behaviour> _behaviours = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsServer _server;

    public TestDnsServer()
    {
        Port = FreePort();
        var endPoint = new IPEndPoint(IPAddress.Loopback, Port);
        _server = new DnsServer(new UdpServerTransport(endPoint), new TcpServerTransport(endPoint));
        _server.QueryReceived += OnQueryAsync;
        _server.Start();
    }

    public int Port { get; }

    public string NameServer => $"127.0.0.1:{Port}";

    /// <summary>How long a <see cref="Behaviour.Slow"/> name makes the client wait.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    private int _queryCount;

    /// <summary>Queries answered so far.</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    public TestDnsServer Add(ArDnsRecord record)
    {
        lock (_records) _records.Add(record);
        return this;
    }

    public TestDnsServer Set(string name, Behaviour behaviour)
    {
        _behaviours[name.TrimEnd('.')] = behaviour;
        return this;
    }

    public static DomainName Name(string name) => DomainName.Parse(name);

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queryCount);
        if (e.Query is not DnsMessage query || query.Questions.Count != 1) return;
        var question = query.Questions[0];
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        var qname = Key(question.Name);
        if (_behaviours.TryGetValue(qname, out var behaviour))
        {
            if (behaviour == Behaviour.Slow) await Task.Delay(SlowDelay);
            response.ReturnCode = ReturnCode.ServerFailure;
            e.Response = response;
            return;
        }
        List<ArDnsRecord> all;
        lock (_records) all = [.. _records];
        var owned = all.Where(r => Key(r.Name) == qname).ToList();
        var answers = owned.Where(r => r.RecordType == question.RecordType).ToList();
        response.ReturnCode = owned.Count == 0 && !all.Any(r => Key(r.Name).EndsWith("." + qname, StringComparison.Ordinal)) ? ReturnCode.NxDomain : ReturnCode.NoError;
        if (answers.Count > 0) response.AnswerRecords.AddRange(answers);
        else if (all.OfType<ArSoaRecord>().Where(s => qname == Key(s.Name) || qname.EndsWith("." + Key(s.Name), StringComparison.Ordinal))
                     .OrderByDescending(s => Key(s.Name).Length).FirstOrDefault() is { } soa)
            response.AuthorityRecords.Add(soa);
        e.Response = response;
    }

    private static string Key(DomainName name) => name.ToString().TrimEnd('.').ToLowerInvariant();

    /// <summary>A port free for both UDP and TCP on loopback, as DnsClient falls back to TCP for large answers.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _server.Stop();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // ARSoft's Stop() cancels its listener tasks and then rethrows their cancellation; stopped is stopped.
        }
    }
}
