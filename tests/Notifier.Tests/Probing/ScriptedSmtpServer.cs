using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Notifier.Tests.Probing;

/// <summary>
/// An in-process SMTP peer on loopback for fast unit tests: scripted replies, hostile behaviour, STARTTLS with a
/// throw-away certificate. Each connection runs <see cref="Behaviour"/>; the default speaks plain SMTP and asks
/// <c>Reply</c> what to answer to each command.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _open;
    private int _maxOpen;

    public ScriptedSmtpServer(Func<Peer, Task> behaviour, IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        Behaviour = behaviour;
        _listener.Start();
        _accept = AcceptLoopAsync();
    }

    public Func<Peer, Task> Behaviour { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public EndPoint EndPoint => _listener.LocalEndpoint;
    public string Target => ((IPEndPoint)_listener.LocalEndpoint).ToString();
    private int _connections;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);
    public int MaxConcurrentConnections => _maxOpen;
    public ConcurrentQueue<string> Commands { get; } = new();
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>A server that answers each command with <paramref name="reply"/> (null: the usual 250).</summary>
    public static ScriptedSmtpServer Replying(Func<string, SessionState, string?> reply, string banner = "220 mx.example.test ESMTP Postfix", string ehlo = "250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME") =>
        new(peer => peer.ServeAsync(banner, ehlo, reply));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            var number = Interlocked.Increment(ref _connections);
            var now = Interlocked.Increment(ref _open);
            int seen;
            while ((seen = _maxOpen) < now && Interlocked.CompareExchange(ref _maxOpen, now, seen) != seen) { }
            _ = Task.Run(async () =>
            {
                try
                {
                    using (client)
                    {
                        using var peer = new Peer(this, client, number, _stop.Token);
                        await Behaviour(peer);
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                {
                }
                finally { Interlocked.Decrement(ref _open); }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accept; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    public sealed class SessionState
    {
        public int Number { get; init; }
        public bool Tls { get; set; }
        public int Errors { get; set; }
        public string? MailFrom { get; set; }
        public List<string> Recipients { get; } = [];
    }

    public sealed class Peer(ScriptedSmtpServer server, TcpClient client, int number, CancellationToken ct) : IDisposable
    {
        /// <summary>1 for the first connection the server accepted, 2 for the second …</summary>
        public int Number => number;

        private Stream _stream = client.GetStream();
        private StreamReader _reader = new(client.GetStream(), Encoding.UTF8, false, 1024, leaveOpen: true);

        public CancellationToken Token => ct;

        public void Dispose()
        {
            _reader.Dispose();
            _stream.Dispose();
        }

        public async Task WriteAsync(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await _stream.WriteAsync(bytes, ct);
            await _stream.FlushAsync(ct);
        }

        public Task WriteRawAsync(byte[] bytes) => _stream.WriteAsync(bytes, ct).AsTask();

        public async Task<string?> ReadLineAsync()
        {
            var line = await _reader.ReadLineAsync(ct);
            if (line is not null) server.Commands.Enqueue(line);
            return line;
        }

        public async Task StartTlsAsync()
        {
            var ssl = new SslStream(_stream, false);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value }, ct);
            _stream = ssl;
            _reader = new StreamReader(ssl, Encoding.UTF8, false, 1024, leaveOpen: true);
        }

        /// <summary>The common loop: banner, then each command answered by <paramref name="reply"/> or by default.</summary>
        public async Task ServeAsync(string banner, string ehlo, Func<string, SessionState, string?> reply)
        {
            var state = new SessionState { Number = server.Connections };
            await WriteAsync(banner + "\r\n");
            while (await ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var custom = reply(line, state);
                if (custom == "<drop>") return;
                if (custom is null)
                {
                    custom = verb switch
                    {
                        "EHLO" => ehlo,
                        "HELO" => "250 mx.example.test",
                        "QUIT" => "221 2.0.0 Bye",
                        "DATA" => "354 End data with <CR><LF>.<CR><LF>",
                        "STARTTLS" => "220 2.0.0 Ready to start TLS",
                        _ => "250 2.0.0 Ok",
                    };
                }
                if (verb == "MAIL" && custom.StartsWith('2')) { state.MailFrom = line; state.Recipients.Clear(); }
                if (verb == "RCPT" && custom.StartsWith('2')) state.Recipients.Add(line);
                if (custom[0] is '4' or '5') state.Errors++;
                await WriteAsync(custom + "\r\n");
                if (verb == "QUIT") return;
                if (verb == "STARTTLS" && custom.StartsWith("220", StringComparison.Ordinal)) { await StartTlsAsync(); state.Tls = true; }
                if (verb == "DATA" && custom.StartsWith("354", StringComparison.Ordinal))
                {
                    var sb = new StringBuilder();
                    while (await _reader.ReadLineAsync(ct) is { } body && body != ".") sb.Append(body).Append('\n');
                    server.Messages.Enqueue(sb.ToString());
                    await WriteAsync((reply("<end-of-data>", state) ?? "250 2.0.0 Ok: queued as ABC123") + "\r\n");
                }
            }
        }
    }

    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=mx.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    });
}
