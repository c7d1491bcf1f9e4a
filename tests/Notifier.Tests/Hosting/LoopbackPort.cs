using System.Net;
using System.Net.Sockets;

namespace Notifier.Tests.Hosting;

/// <summary>A TCP port on 127.0.0.1 that the OS just handed out and that is closed again: free to listen on, refused to connect to until someone does.</summary>
public static class LoopbackPort
{
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
