using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Notifier.Probing;

/// <summary>
/// One SMTP connection, spoken at the socket level.
/// Why not MailKit's SmtpClient: the probe must fall back to HELO, negotiate STARTTLS after a 530 answer,
/// send source routes verbatim (SmtpClient drops the route, see the .NET spike), cap the size of replies,
/// time each reply, keep going after a 5xx without the client throwing its state away, and record every line
/// with a timestamp as evidence. Those needs are the protocol itself, so owning the ~200 lines is simpler
/// than working around a client built to deliver mail.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SessionLimits _limits;
    private readonly Transcript _transcript;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private SmtpSession(Socket socket, Stream stream, SessionLimits limits, Transcript transcript)
    {
        _socket = socket;
        _stream = stream;
        _limits = limits;
        _transcript = transcript;
    }

    public bool IsTls { get; private set; }

    /// <summary>Replies with codes 4xx/5xx in this session: Postfix slows down after 10 (smtpd_soft_error_limit).</summary>
    public int ErrorReplies { get; private set; }

    public static async Task<SmtpSession> ConnectAsync(
        IPEndPoint endPoint, SessionLimits limits, Transcript transcript, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SmtpConnectionLostException($"connect to {endPoint} timed out after {limits.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new SmtpConnectionLostException($"connect to {endPoint} failed: {e.SocketErrorCode}", e);
        }
        return new SmtpSession(socket, new NetworkStream(socket, ownsSocket: false), limits, transcript);
    }

    /// <summary>Implicit TLS (port 465, RFC 8314) or the handshake after STARTTLS.</summary>
    public async Task<TlsInfo> StartTlsAsync(string targetHost, string mode, CancellationToken ct)
    {
        X509Certificate2? cert = null;
        var policyErrors = SslPolicyErrors.None;
#pragma warning disable CA5359 // A probe records what is wrong with the certificate as evidence; it makes no trust decision.
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true, (_, c, _, errors) =>
        {
            // A probe wants the evidence, not a trust decision: record what is wrong and go on.
            if (c is not null) cert = new X509Certificate2(c);
            policyErrors = errors;
            return true;
        });
#pragma warning restore CA5359
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_limits.ReplyTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync();
            var why = e is OperationCanceledException ? "handshake timed out" : e.Message;
            _transcript.Error($"TLS negotiation failed: {why}");
            throw new SmtpConnectionLostException($"TLS negotiation failed: {why}", e);
        }
        _stream = ssl;
        IsTls = true;
        _start = _end = 0;
        var info = new TlsInfo(
            mode,
            ssl.SslProtocol.ToString(),
            ssl.NegotiatedCipherSuite.ToString(),
            cert?.Subject,
            cert?.Issuer,
            cert is null ? null : new DateTimeOffset(cert.NotAfter.ToUniversalTime()),
            policyErrors == SslPolicyErrors.None ? null : policyErrors.ToString(),
            null);
        _transcript.Info($"TLS started: {info.Protocol}, {info.CipherSuite}, certificate subject \"{info.CertificateSubject}\" issuer \"{info.CertificateIssuer}\"" +
                         (info.CertificateErrors is null ? "" : $" ({info.CertificateErrors})"));
        return info;
    }

    public async Task<SmtpReply> CommandAsync(string line, CancellationToken ct)
    {
        await SendLineAsync(line, ct);
        return await ReadReplyAsync(ct);
    }

    public async Task SendLineAsync(string line, CancellationToken ct)
    {
        if (line.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("an SMTP command cannot contain CR or LF", nameof(line));
        _transcript.Add(IsTls ? TranscriptLine.SentTls : TranscriptLine.Sent, line);
        await WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), ct);
    }

    /// <summary>Sends a message body already in CRLF form, dot-stuffed here (RFC 5321 §4.5.2), and the final dot.</summary>
    public async Task<SmtpReply> SendDataAsync(string message, CancellationToken ct)
    {
        var sb = new StringBuilder(message.Length + 64);
        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var l = lines[i].StartsWith('.') ? "." + lines[i] : lines[i];
            _transcript.Add(IsTls ? TranscriptLine.SentTls : TranscriptLine.Sent, l);
            sb.Append(l).Append("\r\n");
        }
        sb.Append(".\r\n");
        _transcript.Add(IsTls ? TranscriptLine.SentTls : TranscriptLine.Sent, ".");
        await WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
        return await ReadReplyAsync(ct);
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_limits.ReplyTimeout);
        try
        {
            await _stream.WriteAsync(bytes, timeout.Token);
            await _stream.FlushAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SmtpReplyTimeoutException("the server stopped reading (write timed out)");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new SmtpConnectionLostException("connection lost while sending: " + e.Message, e);
        }
    }

    /// <summary>
    /// Reads one reply, all of it within the reply timeout (so a server dripping a byte a second is a timeout,
    /// not a hang) and within the size caps (so a 1 MB multi-line reply is a protocol error).
    /// </summary>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_limits.ReplyTimeout);
        var lines = new List<string>();
        var total = 0;
        var code = 0;
        try
        {
            while (true)
            {
                var line = await ReadLineAsync(_limits.MaxReplyBytes - total, timeout.Token);
                total += line.Length + 2;
                _transcript.Add(IsTls ? TranscriptLine.ReceivedTls : TranscriptLine.Received, line);
                if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                    || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
                    throw new SmtpProtocolViolationException($"not an SMTP reply: \"{Transcript.Printable(Shorten(line))}\"");
                var lineCode = int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
                if (code == 0) code = lineCode;
                lines.Add(line);
                if (line.Length == 3 || line[3] == ' ') break;
                if (lines.Count >= _limits.MaxReplyLines)
                    throw new SmtpProtocolViolationException($"reply longer than {_limits.MaxReplyLines} lines");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SmtpReplyTimeoutException($"no complete reply within {_limits.ReplyTimeout.TotalSeconds:0.#} s");
        }
        var reply = new SmtpReply(code, lines);
        if (code >= 400) ErrorReplies++;
        return reply;
    }

    private async Task<string> ReadLineAsync(int maxBytes, CancellationToken ct)
    {
        var collected = new List<byte>();
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                collected.AddRange(new ArraySegment<byte>(_buffer, _start, nl - _start));
                _start = nl + 1;
                if (collected.Count > 0 && collected[^1] == '\r') collected.RemoveAt(collected.Count - 1);
                if (collected.Count > maxBytes)
                    throw new SmtpProtocolViolationException($"reply larger than {_limits.MaxReplyBytes} bytes");
                return Encoding.UTF8.GetString(collected.ToArray());
            }
            collected.AddRange(new ArraySegment<byte>(_buffer, _start, _end - _start));
            _start = _end = 0;
            if (collected.Count > maxBytes)
                throw new SmtpProtocolViolationException($"reply larger than {_limits.MaxReplyBytes} bytes");
            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer, ct);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                throw new SmtpConnectionLostException("connection lost: " + e.Message, e);
            }
            if (n == 0)
            {
                if (collected.Count > 0)
                    _transcript.Add(IsTls ? TranscriptLine.ReceivedTls : TranscriptLine.Received, Encoding.UTF8.GetString(collected.ToArray()));
                throw new SmtpConnectionLostException("the server closed the connection");
            }
            _end = n;
        }
    }

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";

    /// <summary>Best-effort QUIT: a server that has already gone away must not cost a timeout.</summary>
    public async Task QuitAsync(CancellationToken ct)
    {
        try
        {
            using var quick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quick.CancelAfter(TimeSpan.FromSeconds(Math.Min(2, _limits.ReplyTimeout.TotalSeconds)));
            await SendLineAsync("QUIT", quick.Token);
            await ReadReplyAsync(quick.Token);
        }
        catch (Exception e) when (e is SmtpConnectionLostException or SmtpReplyTimeoutException or SmtpProtocolViolationException or OperationCanceledException)
        {
            // The dialogue is over either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
