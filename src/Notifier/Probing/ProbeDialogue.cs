using System.Net;
using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// The state of one probe's dialogue with one target: sessions, TLS, the variants as tried and the test
/// message. Rotates to a fresh session before the server's error limits bite and reconnects (bounded) when
/// the server drops the connection, so the variants still get tried.
/// </summary>
internal sealed partial class ProbeDialogue(
    ProbeDialogue.Settings settings, Transcript transcript, TimeProvider time)
{
    internal sealed record Settings(
        IPEndPoint EndPoint,
        string? GivenName,
        ProbeMode Mode,
        TlsMode Tls,
        string HeloName,
        string CanaryDomain,
        string CanaryLocalPart,
        string SenderLocalPart,
        string SenderDomain,
        string ProbeKey,
        string Token,
        SessionLimits Limits,
        int MaxErrorsPerSession,
        int MaxReconnects,
        string OperatorName,
        string? OperatorContact,
        string? InfoUrl,
        TestMessageSigner? Signer = null,
        string? ReturnPath = null);

    private SmtpSession? _session;
    private int _transactions;
    private int _sessions;
    private int _reconnects;
    /// <summary>TLS is not tried again in this probe: STARTTLS was refused or its handshake failed.</summary>
    private bool _tlsBroken;
    private TlsInfo? _tls;
    private string? _banner;
    private string? _hostName;
    private bool _usedHelo;
    private List<string> _extensions = [];
    private readonly List<string> _serverTexts = [];
    private ProbeStop _stop;
    private string? _stopDetail;
    private string? _dataReply;
    private bool _dataAccepted;
    private string? _dataVariant;
    private string? _messageId;
    private string? _testMessage;

    private string Target => settings.EndPoint.ToString();
    private string CanaryAddress => $"{settings.CanaryLocalPart}@{settings.CanaryDomain}";

    public async Task<ProbeResult> RunAsync(DateTimeOffset startedAt, TimeSpan totalTimeout, CancellationToken cancel)
    {
        var results = new List<VariantResult>();
        IReadOnlyList<RelayVariant> variants = [];
        await GuardedAsync("probe", totalTimeout, cancel, async ct =>
        {
            // The first session tells us the target's own name (banner/EHLO), which some variants need.
            _session = await OpenSessionAsync(ct);
            variants = BuildVariants();
            transcript.Info($"{variants.Count} relay-test variants, recipients at {settings.CanaryDomain} only; mode {settings.Mode.ToString().ToLowerInvariant()}");
            foreach (var variant in variants)
            {
                var r = await TryVariantAsync(variant, ct);
                results.Add(r);
                if (r.Accepted && settings.Mode == ProbeMode.Quick)
                {
                    await SendTestMessageAsync(variant, inTransaction: true, ct);
                    break;
                }
                if (_stop != ProbeStop.None) break;
            }
            var first = results.FirstOrDefault(r => r.Accepted);
            if (settings.Mode == ProbeMode.Full && first is not null && _stop == ProbeStop.None)
                await SendTestMessageAsync(variants.First(v => v.Name == first.Name), inTransaction: false, ct);
        });

        foreach (var v in variants.Skip(results.Count))
            results.Add(new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, null, null, false, VariantOutcome.NotTried, 0));
        var tried = results.Count(r => r.Outcome != VariantOutcome.NotTried);
        if (tried < variants.Count && results.All(r => !r.Accepted))
            transcript.Info($"{tried} of {variants.Count} relay-test variants tried: the dialogue stopped before the rest ({_stopDetail ?? "no reason recorded"})");

        return BuildResult(startedAt, results);
    }

    /// <summary>
    /// A further test message (the first canary did not arrive): tries only the named variant, rebuilt with this
    /// dialogue's new token, and sends DATA when its recipient is accepted. The other variants are not tried again.
    /// </summary>
    public async Task<ProbeResult> RunOneVariantAsync(string variantName, DateTimeOffset startedAt, TimeSpan totalTimeout, CancellationToken cancel)
    {
        var results = new List<VariantResult>();
        await GuardedAsync("test message", totalTimeout, cancel, async ct =>
        {
            _session = await OpenSessionAsync(ct);
            var variant = BuildVariants().FirstOrDefault(v => v.Name == variantName)
                ?? throw new ProbeRequestException($"there is no relay-test variant named {variantName} for {Target}");
            transcript.Info($"further test message through variant {variant.Name} ({variant.Class}), recipient at {settings.CanaryDomain}");
            var r = await TryVariantAsync(variant, ct);
            results.Add(r);
            if (r.Accepted) await SendTestMessageAsync(variant, inTransaction: true, ct);
        });
        return BuildResult(startedAt, results);
    }

    private IReadOnlyList<RelayVariant> BuildVariants() => RelayVariants.Build(new VariantContext(
        settings.CanaryLocalPart, settings.CanaryDomain, settings.SenderLocalPart, settings.SenderDomain,
        settings.EndPoint.Address, _hostName ?? settings.GivenName, settings.ReturnPath));

    /// <summary>
    /// Runs a dialogue under the total timeout and always ends the session. A stopped dialogue or a total timeout
    /// is not an error: <see cref="_stop"/> records why, and the verdict is computed from what was learnt so far.
    /// </summary>
    private async Task GuardedAsync(string what, TimeSpan totalTimeout, CancellationToken cancel, Func<CancellationToken, Task> body)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        total.CancelAfter(totalTimeout);
        try
        {
            await body(total.Token);
        }
        catch (DialogueStoppedException)
        {
            // _stop says why.
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // The total timeout: a slow server cannot hold a worker.
            _stop = ProbeStop.ProtocolError;
            _stopDetail = $"the {what} exceeded its total time of {totalTimeout.TotalSeconds:0} s";
            transcript.Error(_stopDetail);
        }
        finally
        {
            if (_session is not null)
            {
                await _session.QuitAsync(CancellationToken.None);
                await _session.DisposeAsync();
                _session = null;
            }
        }
    }

    private sealed class DialogueStoppedException : Exception;

    private DialogueStoppedException StopWith(ProbeStop stop, string detail)
    {
        _stop = stop;
        _stopDetail = detail;
        transcript.Error(detail);
        return new DialogueStoppedException();
    }

    private async Task<SmtpSession> OpenSessionAsync(CancellationToken ct)
    {
        _sessions++;
        _transactions = 0;
        var tlsBrokenBefore = _tlsBroken;
        transcript.Info($"session {_sessions}: connecting to {Target}");
        SmtpSession session;
        try
        {
            session = await SmtpSession.ConnectAsync(settings.EndPoint, settings.Limits, transcript, ct);
        }
        catch (SmtpConnectionLostException e)
        {
            throw StopWith(_sessions == 1 ? ProbeStop.Unreachable : ProbeStop.ProtocolError, e.Message);
        }
        try
        {
            if (settings.Tls == TlsMode.Implicit)
                _tls = await session.StartTlsAsync(settings.GivenName ?? settings.EndPoint.Address.ToString(), "implicit", ct);
            var banner = await session.ReadReplyAsync(ct);
            if (_sessions == 1)
            {
                _banner = string.Join("\n", banner.Lines);
                _serverTexts.Add(banner.Text);
                _hostName = HostNameFrom(banner);
            }
            if (banner.Code != 220)
            {
                await session.DisposeAsync();
                throw StopWith(banner.IsTransient ? ProbeStop.BannerTemporary : ProbeStop.BannerPermanent,
                    $"the server refused the session: {banner}");
            }
            await GreetAsync(session, ct);
            if (!session.IsTls && settings.Tls == TlsMode.StartTlsWhenOffered && !_tlsBroken && _extensions.Contains("STARTTLS"))
                await StartTlsAsync(session, ct);
            return session;
        }
        catch (Exception e) when (e is SmtpProtocolViolationException)
        {
            await session.DisposeAsync();
            throw StopWith(ProbeStop.ProtocolError, e.Message);
        }
        catch (Exception e) when (e is SmtpReplyTimeoutException or SmtpConnectionLostException)
        {
            await session.DisposeAsync();
            if (settings.Tls == TlsMode.StartTlsWhenOffered && _tlsBroken && !tlsBrokenBefore && _tls?.Failure is not null)
            {
                // The handshake failed in this session: carry on in clear text, as swaks -tlso would.
                if (++_reconnects <= settings.MaxReconnects) return await OpenSessionAsync(ct);
            }
            var stop = _sessions == 1 && _banner is null
                ? (e is SmtpReplyTimeoutException ? ProbeStop.Timeout : ProbeStop.Unreachable)
                : ProbeStop.ProtocolError;
            throw StopWith(stop, (_banner is null ? "no SMTP banner: " : "") + e.Message);
        }
    }

    /// <summary>EHLO, falling back to HELO for servers that do not speak ESMTP (RFC 5321 §3.2).</summary>
    private async Task GreetAsync(SmtpSession session, CancellationToken ct)
    {
        var ehlo = await session.CommandAsync($"EHLO {settings.HeloName}", ct);
        if (ehlo.Code == 250)
        {
            _extensions = ehlo.Lines.Skip(1).Select(l => l.Length > 4 ? l[4..].Split(' ')[0].ToUpperInvariant() : "").Where(x => x.Length > 0).ToList();
            if (_sessions == 1) _serverTexts.Add(ehlo.Text);
            _hostName ??= HostNameFrom(ehlo);
            return;
        }
        // 421 closes the session (RFC 5321 §3.8); any other refusal of EHLO may still leave HELO working.
        if (ehlo.Code == 421) throw StopWith(ProbeStop.BannerTemporary, $"the server closed the session at EHLO: {ehlo}");
        var helo = await session.CommandAsync($"HELO {settings.HeloName}", ct);
        if (helo.Code != 250)
            throw StopWith(helo.IsTransient ? ProbeStop.BannerTemporary : ProbeStop.BannerPermanent, $"the server refused both EHLO and HELO: {helo}");
        _usedHelo = true;
        _extensions = [];
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
            _tls = await session.StartTlsAsync(_hostName ?? settings.GivenName ?? settings.EndPoint.Address.ToString(), "starttls", ct);
        }
        catch (SmtpConnectionLostException e)
        {
            // A server whose handshake broke once breaks it again: later sessions of this probe stay in clear text
            // instead of paying a reconnect per variant for the same failure.
            _tls = new TlsInfo("starttls", null, null, null, null, null, null, e.Message);
            _tlsBroken = true;
            transcript.Info("the STARTTLS handshake failed: TLS is not tried again in this probe");
            throw;
        }
        await GreetAsync(session, ct);
        return true;
    }

    private async Task<SmtpSession> EnsureSessionAsync(CancellationToken ct)
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

    private async Task DropSessionAsync(string why)
    {
        transcript.Error(why);
        if (_session is not null) await _session.DisposeAsync();
        _session = null;
        if (++_reconnects > settings.MaxReconnects)
            throw StopWith(ProbeStop.ProtocolError, $"the server dropped the connection {_reconnects} times; giving up");
    }

    private async Task<VariantResult> TryVariantAsync(RelayVariant v, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            SmtpReply? mail = null;
            try
            {
                var s = await EnsureSessionAsync(ct);
                if (_transactions++ > 0)
                {
                    var rset = await s.CommandAsync("RSET", ct);
                    if (rset.Code != 250)
                    {
                        await DropSessionAsync($"RSET refused ({rset}); reconnecting");
                        s = await EnsureSessionAsync(ct);
                        _transactions++;
                    }
                }
                mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                if (ReplyClassifier.WantsTls(mail) && !s.IsTls && settings.Tls != TlsMode.None)
                {
                    // The demand for TLS (RFC 3207 §4) holds for every sender, so no further variant can be tried.
                    if (_tlsBroken && _tls?.Failure is not null)
                        throw StopWith(ProbeStop.TlsFailed, $"the server demands STARTTLS ({mail}) and the TLS handshake failed earlier in this probe ({_tls.Failure})");
                    if (!_tlsBroken && await StartTlsAsync(s, ct)) mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                }
                Remember(mail);
                if (!mail.IsPositive)
                    return Result(v, mail, null, ReplyClassifier.ClassifySender(mail));
                var rcpt = await s.CommandAsync($"RCPT TO:<{v.RcptTo}>", ct);
                Remember(rcpt);
                return Result(v, mail, rcpt, ReplyClassifier.ClassifyRecipient(rcpt));
            }
            catch (SmtpConnectionLostException e)
            {
                // Some servers drop the session after a few syntax errors: reconnect and carry on.
                await DropSessionAsync($"connection lost during variant {v.Name}: {e.Message}; reconnecting");
                if (attempt >= 2)
                    return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail?.ToString(), null, false, VariantOutcome.ConnectionLost, _sessions);
            }
            catch (SmtpReplyTimeoutException e)
            {
                // A tarpit: do not pay the timeout twice for the same variant.
                await DropSessionAsync($"variant {v.Name}: {e.Message}");
                return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail?.ToString(), null, false, VariantOutcome.ConnectionLost, _sessions);
            }
            catch (SmtpProtocolViolationException e)
            {
                throw StopWith(ProbeStop.ProtocolError, e.Message);
            }
        }
    }

    private void Remember(SmtpReply reply)
    {
        if (!reply.IsPositive && _serverTexts.Count < 50) _serverTexts.Add(reply.Text);
    }

    private VariantResult Result(RelayVariant v, SmtpReply mail, SmtpReply? rcpt, string outcome)
    {
        var accepted = outcome == VariantOutcome.Accepted;
        transcript.Info($"variant {v.Name} ({v.Class}): {outcome}");
        return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail.ToString(), rcpt?.ToString(), accepted, outcome, _sessions);
    }

    /// <summary>One signed test message, through the first accepted variant. Never a second one.</summary>
    private async Task SendTestMessageAsync(RelayVariant v, bool inTransaction, CancellationToken ct)
    {
        _dataVariant = v.Name;
        try
        {
            var s = await EnsureSessionAsync(ct);
            if (!inTransaction)
            {
                if (_transactions++ > 0) await s.CommandAsync("RSET", ct);
                var mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                if (!mail.IsPositive) { _dataReply = $"MAIL refused on retry: {mail}"; return; }
                var rcpt = await s.CommandAsync($"RCPT TO:<{v.RcptTo}>", ct);
                if (rcpt.Code is not (250 or 251)) { _dataReply = $"RCPT refused on retry: {rcpt}"; return; }
            }
            var data = await s.CommandAsync("DATA", ct);
            if (data.Code != 354)
            {
                _dataReply = data.ToString();
                Remember(data);
                return;
            }
            // The From: header names a sender a person can read: our plain sender, not the VERP return path (that is
            // for bounces only, and the receiving MTA shows it as Return-Path:); a variant's made-up sender as it is.
            var plainSender = $"{settings.SenderLocalPart}@{settings.SenderDomain}";
            var sender = v.MailFrom.Contains('@', StringComparison.Ordinal) && !v.MailFrom.StartsWith('@') && v.MailFrom != settings.ReturnPath ? v.MailFrom : plainSender;
            var message = TestMessage.Build(new TestMessage.Facts(
                settings.Token, CanaryAddress, sender, Target, v.Name, time.GetUtcNow(),
                settings.OperatorName, settings.OperatorContact, settings.InfoUrl));
            settings.Signer?.Sign(message);
            _messageId = message.MessageId;
            _testMessage = TestMessage.Serialize(message);
            var final = await s.SendDataAsync(_testMessage, ct);
            _dataReply = final.ToString();
            _dataAccepted = final.Code == 250;
            Remember(final);
        }
        catch (Exception e) when (e is SmtpConnectionLostException or SmtpReplyTimeoutException or SmtpProtocolViolationException)
        {
            _dataReply ??= $"no reply: {e.Message}";
            transcript.Error($"test message: {e.Message}");
            if (_session is not null) await _session.DisposeAsync();
            _session = null;
        }
    }

    private ProbeResult BuildResult(DateTimeOffset startedAt, List<VariantResult> results)
    {
        var facts = new ProbeFacts(Target, settings.CanaryDomain, results, _stop, _stopDetail, _tls?.Failure,
            _dataAccepted, _dataReply, _dataVariant);
        var (verdict, reason) = ProbeJudge.Judge(facts);
        var mta = MtaFingerprint.Identify(_banner, _serverTexts);
        transcript.Info($"verdict {verdict}: {reason}");
        return new ProbeResult
        {
            Target = Target,
            Host = settings.GivenName ?? settings.EndPoint.Address.ToString(),
            Address = settings.EndPoint.Address.ToString(),
            Port = settings.EndPoint.Port,
            ProbeKey = settings.ProbeKey,
            Verdict = verdict,
            Reason = reason,
            Mode = settings.Mode.ToString().ToLowerInvariant(),
            Mta = mta,
            Banner = _banner,
            HostName = _hostName,
            Extensions = _extensions,
            UsedHelo = _usedHelo,
            Tls = _tls,
            Variants = results,
            AcceptedVariants = facts.Accepted.Select(a => a.Name).ToList(),
            AcceptedClass = ProbeJudge.AcceptedClass(facts),
            DataVariant = _dataVariant,
            DataReply = _dataReply,
            Token = settings.Token,
            CanaryAddress = CanaryAddress,
            MessageId = _messageId,
            TestMessage = _testMessage,
            Sessions = _sessions,
            VariantsPlanned = results.Count,
            VariantsTried = facts.VariantsTried,
            Transcript = transcript.Lines.ToList(),
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
        };
    }

    /// <summary>The domain the server names itself by: first word after the code, when it looks like a host name.</summary>
    private static string? HostNameFrom(SmtpReply reply)
    {
        var first = reply.Lines.Count > 0 && reply.Lines[0].Length > 4 ? reply.Lines[0][4..].Split(' ', 2)[0].TrimEnd('.') : "";
        return HostNameRegex().IsMatch(first) && !IPAddress.TryParse(first, out _) ? first.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"^(?=.{4,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$")]
    private static partial Regex HostNameRegex();
}
