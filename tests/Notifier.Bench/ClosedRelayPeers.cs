using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Notifier.Bench;

/// <summary>
/// The pipeline benchmark's relays: one listener per loopback address (127.A.B.1, each in its own /24 so the
/// per-network limit never serialises them), every one answering like a correctly closed Postfix: banner, EHLO,
/// MAIL accepted, RCPT to a foreign domain refused with 554 5.7.1 Relay access denied (Postfix's reject_unauth_destination),
/// QUIT. Each reply waits <c>delay</c> first, as a real network's round trip would.
/// </summary>
public sealed class ClosedRelayPeers : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _delay;
    private readonly List<Task> _accepting = [];
    private long _sessions;

    public ClosedRelayPeers(int count, int port, TimeSpan delay)
    {
        _delay = delay;
        for (var i = 0; i < count; i++)
        {
            var listener = new TcpListener(Address(i), port);
            listener.Start(512);
            _listeners.Add(listener);
        }
        foreach (var l in _listeners) _accepting.Add(AcceptAsync(l));
    }

    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>The i-th relay's address: 127.40.0.1, 127.40.1.1, … (distinct /24s, all on loopback).</summary>
    public static IPAddress Address(int i) => new([127, (byte)(40 + i / 256), (byte)(i % 256), 1]);

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            Interlocked.Increment(ref _sessions);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await ReplyAsync(stream, "220 closed.bench.test ESMTP Postfix");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    await ReplyAsync(stream, verb switch
                    {
                        "EHLO" => "250-closed.bench.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME",
                        "HELO" => "250 closed.bench.test",
                        "MAIL" => "250 2.1.0 Ok",
                        "RCPT" => "554 5.7.1 <" + Recipient(line) + ">: Relay access denied",
                        "RSET" => "250 2.0.0 Ok",
                        "NOOP" => "250 2.0.0 Ok",
                        "QUIT" => "221 2.0.0 Bye",
                        "DATA" => "554 5.5.1 Error: no valid recipients",
                        _ => "502 5.5.2 Error: command not recognized",
                    });
                    if (verb == "QUIT") return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static string Recipient(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.LastIndexOf('>');
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    private async Task ReplyAsync(NetworkStream stream, string reply)
    {
        if (_delay > TimeSpan.Zero) await Task.Delay(_delay, _stop.Token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var l in _listeners) l.Stop();
        await Task.WhenAll(_accepting);
        _stop.Dispose();
    }
}
