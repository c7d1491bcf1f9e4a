using System.Net;
using System.Net.Sockets;

namespace Notifier.Tests.Hosting;

/// <summary>
/// A loopback TCP port in front of a real server (the lab's Dovecot or Postfix) that a test takes down and brings
/// back: down, the port refuses connections and open ones are cut, as when the server stops; up, it forwards
/// byte for byte again on the same port, so the service's configuration stays as it is.
/// </summary>
public sealed class SwitchableForwarder : IDisposable
{
    private readonly IPEndPoint _server;
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public SwitchableForwarder(IPEndPoint server)
    {
        _server = server;
        var first = new TcpListener(IPAddress.Loopback, 0);
        Port = Start(first);
    }

    public int Port { get; }

    public void Down()
    {
        lock (_lock)
        {
            _stop.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    public void Up()
    {
        lock (_lock)
        {
            if (_listener is not null) return;
            _stop.Dispose();
            _stop = new CancellationTokenSource();
            Start(new TcpListener(IPAddress.Loopback, Port));
        }
    }

    private int Start(TcpListener listener)
    {
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener, _stop.Token);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(client, stop);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken stop)
    {
        using var server = new TcpClient();
        lock (_lock) _open.AddRange([client, server]);
        try
        {
            await server.ConnectAsync(_server, stop);
            var up = client.GetStream().CopyToAsync(server.GetStream(), stop);
            var down = server.GetStream().CopyToAsync(client.GetStream(), stop);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Cut by Down(), or one side closed: the other side gets the close too.
        }
        finally
        {
            client.Dispose();
        }
    }

    public void Dispose()
    {
        Down();
        _stop.Dispose();
    }
}
