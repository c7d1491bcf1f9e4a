using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Notifier.Tests.Cases;

/// <summary>
/// A loopback TCP proxy in front of a real SMTP server (plain SMTP, no STARTTLS) that holds back the server's answer
/// to the end of the message ("250 … queued as …", RFC 5321 §4.2) until <see cref="Release"/>: the server has taken
/// the message, the client does not know yet. That makes "handed over but not recorded" a state a test can wait for.
/// </summary>
public sealed class HoldingSmtpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    public HoldingSmtpProxy(IPEndPoint server)
    {
        _server = server;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when the server's "queued as" answer is being held.</summary>
    public Task Held => _held.Task;

    public void Release() => _release.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_server, _stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), hold: false);
                var down = PumpAsync(server.GetStream(), client.GetStream(), hold: true);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool hold)
    {
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (hold && Encoding.ASCII.GetString(buffer, 0, n).Contains("queued as", StringComparison.Ordinal))
                {
                    _held.TrySetResult();
                    await _release.Task.WaitAsync(_stop.Token);
                }
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
