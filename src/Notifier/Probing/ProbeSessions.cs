namespace Notifier.Probing;

/// <summary>
/// The SMTP sessions of one probe, one at a time, on top of <see cref="SmtpSession"/> (which speaks one
/// connection): connect, greeting, EHLO with HELO fallback, STARTTLS, what the server said about itself, fresh
/// sessions before the server's error limit and bounded reconnects when it drops the connection. Remembers across
/// sessions that TLS broke once, so it is not tried again.
/// </summary>
internal sealed class ProbeSessions(ProbeSettings settings, Transcript transcript)
{
    private SmtpSession? _session;
    private int _transactions;
    private int _reconnects;

    /// <summary>TLS is not tried again in this probe: STARTTLS was refused or its handshake failed.</summary>
    private bool _tlsBroken;
    private readonly List<string> _serverTexts = [];

    /// <summary>Sessions opened so far (each reconnect is one more).</summary>
    public int Count { get; private set; }

    /// <summary>The first session's greeting, all lines.</summary>
    public string? Banner { get; private set; }

    /// <summary>The name the server gave itself in its first greeting or EHLO answer.</summary>
    public string? HostName { get; private set; }

    public bool UsedHelo { get; private set; }

    /// <summary>EHLO keywords of the latest session (after STARTTLS, the ones offered under TLS).</summary>
    public IReadOnlyList<string> Extensions { get; private set; } = [];

    public TlsInfo? Tls { get; private set; }

    /// <summary>Greeting, EHLO and refusal texts, for <see cref="MtaFingerprint"/>.</summary>
    public IReadOnlyList<string> ServerTexts => _serverTexts;

    /// <summary>Keeps a refusal's text for the fingerprint (bounded: a long probe must not grow without end).</summary>
    public void Remember(SmtpReply reply)
    {
        if (!reply.IsPositive && _serverTexts.Count < 50) _serverTexts.Add(reply.Text);
    }

    /// <summary>Opens the first session, which tells us the target's own name (banner/EHLO) some variants need.</summary>
    public async Task OpenAsync(CancellationToken ct) => _session = await OpenSessionAsync(ct);

    /// <summary>
    /// The current session, or a fresh one: before the server's soft error limit (Postfix slows down after
    /// smtpd_soft_error_limit refusals and disconnects at smtpd_hard_error_limit) and after a drop.
    /// </summary>
    public async Task<SmtpSession> CurrentAsync(CancellationToken ct)
    {
        if (_session is not null && _session.ErrorReplies >= settings.MaxErrorsPerSession)
        {
            transcript.Info($"{_session.ErrorReplies} refusals in this session: starting a fresh one before the server's error limit slows it down");
            await _session.QuitAsync(ct);
            await _session.DisposeAsync();
            _session = null;
        }
        return _session ??= await OpenSessionAsync(ct);
    }

    /// <summary>Counts a mail transaction; true when one came before in this session, so RSET must clear it (RFC 5321 §4.1.1.5).</summary>
    public bool BeginTransaction() => _transactions++ > 0;

    /// <summary>Gives up the current session after a failure; the next <see cref="CurrentAsync"/> reconnects, a bounded number of times.</summary>
    public async Task DropAsync(string why)
    {
        transcript.Error(why);
        await DiscardAsync();
        if (++_reconnects > settings.MaxReconnects)
            throw ProbeStoppedException.Log(transcript, ProbeStop.ProtocolError, $"the server dropped the connection {_reconnects} times; giving up");
    }

    /// <summary>Closes the current session without QUIT (it is broken) and without counting a reconnect.</summary>
    public async Task DiscardAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
        _session = null;
    }

    /// <summary>Ends the dialogue: QUIT (best effort) and close.</summary>
    public async Task CloseAsync()
    {
        if (_session is null) return;
        await _session.QuitAsync(CancellationToken.None);
        await _session.DisposeAsync();
        _session = null;
    }

    /// <summary>
    /// After MAIL FROM was answered with a demand for TLS (RFC 3207 §4): STARTTLS in this session when TLS has not
    /// broken yet; true when the command can be sent again under TLS. The demand holds for every sender, so when
    /// the handshake already failed in this probe no variant can be tried and the dialogue stops.
    /// </summary>
    public async Task<bool> MeetTlsDemandAsync(SmtpSession session, SmtpReply demand, CancellationToken ct)
    {
        if (_tlsBroken && Tls?.Failure is not null)
            throw ProbeStoppedException.Log(transcript, ProbeStop.TlsFailed,
                $"the server demands STARTTLS ({demand}) and the TLS handshake failed earlier in this probe ({Tls.Failure})");
        return !_tlsBroken && await StartTlsAsync(session, ct);
    }

    private async Task<SmtpSession> OpenSessionAsync(CancellationToken ct)
    {
        Count++;
        _transactions = 0;
        var tlsBrokenBefore = _tlsBroken;
        transcript.Info($"session {Count}: connecting to {settings.Target}");
        SmtpSession session;
        try
        {
            session = await SmtpSession.ConnectAsync(settings.EndPoint, settings.Limits, transcript, ct);
        }
        catch (SmtpConnectionLostException e)
        {
            throw ProbeStoppedException.Log(transcript, Count == 1 ? ProbeStop.Unreachable : ProbeStop.ProtocolError, e.Message);
        }
        try
        {
            if (settings.Tls == TlsMode.Implicit)
                Tls = await session.StartTlsAsync(settings.GivenName ?? settings.EndPoint.Address.ToString(), "implicit", ct);
            var banner = await session.ReadReplyAsync(ct);
            if (Count == 1)
            {
                Banner = string.Join("\n", banner.Lines);
                _serverTexts.Add(banner.Text);
                HostName = ServerHostName.From(banner);
            }
            if (banner.Code != 220)
            {
                await session.DisposeAsync();
                throw ProbeStoppedException.Log(transcript, banner.IsTransient ? ProbeStop.BannerTemporary : ProbeStop.BannerPermanent,
                    $"the server refused the session: {banner}");
            }
            await GreetAsync(session, ct);
            if (!session.IsTls && settings.Tls == TlsMode.StartTlsWhenOffered && !_tlsBroken && Extensions.Contains("STARTTLS"))
                await StartTlsAsync(session, ct);
            return session;
        }
        catch (SmtpProtocolViolationException e)
        {
            await session.DisposeAsync();
            throw ProbeStoppedException.Log(transcript, ProbeStop.ProtocolError, e.Message);
        }
        catch (Exception e) when (e is SmtpReplyTimeoutException or SmtpConnectionLostException)
        {
            await session.DisposeAsync();
            if (settings.Tls == TlsMode.StartTlsWhenOffered && _tlsBroken && !tlsBrokenBefore && Tls?.Failure is not null)
            {
                // The handshake failed in this session: carry on in clear text, as swaks -tlso would.
                if (++_reconnects <= settings.MaxReconnects) return await OpenSessionAsync(ct);
            }
            var stop = Count == 1 && Banner is null
                ? (e is SmtpReplyTimeoutException ? ProbeStop.Timeout : ProbeStop.Unreachable)
                : ProbeStop.ProtocolError;
            throw ProbeStoppedException.Log(transcript, stop, (Banner is null ? "no SMTP banner: " : "") + e.Message);
        }
    }

    /// <summary>EHLO, falling back to HELO for servers that do not speak ESMTP (RFC 5321 §3.2).</summary>
    private async Task GreetAsync(SmtpSession session, CancellationToken ct)
    {
        var ehlo = await session.CommandAsync($"EHLO {settings.HeloName}", ct);
        if (ehlo.Code == 250)
        {
            Extensions = ehlo.Lines.Skip(1).Select(l => l.Length > 4 ? l[4..].Split(' ')[0].ToUpperInvariant() : "").Where(x => x.Length > 0).ToList();
            if (Count == 1) _serverTexts.Add(ehlo.Text);
            HostName ??= ServerHostName.From(ehlo);
            return;
        }
        // 421 closes the session (RFC 5321 §3.8); any other refusal of EHLO may still leave HELO working.
        if (ehlo.Code == 421)
            throw ProbeStoppedException.Log(transcript, ProbeStop.BannerTemporary, $"the server closed the session at EHLO: {ehlo}");
        var helo = await session.CommandAsync($"HELO {settings.HeloName}", ct);
        if (helo.Code != 250)
            throw ProbeStoppedException.Log(transcript, helo.IsTransient ? ProbeStop.BannerTemporary : ProbeStop.BannerPermanent,
                $"the server refused both EHLO and HELO: {helo}");
        UsedHelo = true;
        Extensions = [];
    }

    /// <summary>RFC 3207: STARTTLS, handshake, then EHLO again (the server forgets what it said before TLS).</summary>
    private async Task<bool> StartTlsAsync(SmtpSession session, CancellationToken ct)
    {
        var r = await session.CommandAsync("STARTTLS", ct);
        if (r.Code != 220)
        {
            transcript.Info($"STARTTLS refused: {r}");
            _tlsBroken = true;
            return false;
        }
        try
        {
            Tls = await session.StartTlsAsync(HostName ?? settings.GivenName ?? settings.EndPoint.Address.ToString(), "starttls", ct);
        }
        catch (SmtpConnectionLostException e)
        {
            // A server whose handshake broke once breaks it again: later sessions of this probe stay in clear text
            // instead of paying a reconnect per variant for the same failure.
            Tls = new TlsInfo("starttls", null, null, null, null, null, null, e.Message);
            _tlsBroken = true;
            transcript.Info("the STARTTLS handshake failed: TLS is not tried again in this probe");
            throw;
        }
        await GreetAsync(session, ct);
        return true;
    }
}
