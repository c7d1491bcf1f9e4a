namespace Notifier.Probing;

/// <summary>
/// One probe's dialogue with one target: the relay-test variants in order (RSET, MAIL FROM, RCPT TO each), then
/// the one signed test message (none in rcpt-only mode). Sessions, TLS and reconnects are <see cref="ProbeSessions"/>' concern, the
/// verdict is <see cref="ProbeJudge"/>'s; this loop only tries the variants and keeps its <see cref="ProbeProgress"/>.
/// </summary>
internal sealed class ProbeDialogue(ProbeSettings settings, Transcript transcript, TimeProvider time)
{
    private readonly ProbeSessions _sessions = new(settings, transcript);
    private readonly ProbeProgress _progress = new();

    /// <summary>
    /// Every variant, or the selected ones (quick mode: until the first accepted one, which gets DATA in the same
    /// transaction; full mode: all of them, then the test message through the first accepted one in a transaction
    /// of its own; rcpt-only mode: until the first accepted one, and never DATA: a retest asks only whether the
    /// relay still takes the recipient, so the owner gets no second test message).
    /// </summary>
    public async Task<ProbeResult> RunAsync(DateTimeOffset startedAt, TimeSpan totalTimeout, CancellationToken cancel)
    {
        var results = _progress.Results;
        IReadOnlyList<RelayVariant> variants = [];
        await GuardedAsync("probe", totalTimeout, async ct =>
        {
            await _sessions.OpenAsync(ct);
            var all = BuildVariants();
            variants = settings.Variants is { } names ? Select(all, names) : all;
            transcript.Info(variants.Count == all.Count
                ? $"{variants.Count} relay-test variants, recipients at {settings.CanaryDomain} only; mode {settings.Mode.ToText()}"
                : $"{variants.Count} of {all.Count} relay-test variants selected ({string.Join(", ", variants.Select(v => v.Name))}), recipients at {settings.CanaryDomain} only; mode {settings.Mode.ToText()}");
            foreach (var variant in variants)
            {
                var r = await TryVariantAsync(variant, ct);
                results.Add(r);
                if (r.Accepted && settings.Mode != ProbeMode.Full)
                {
                    if (settings.Mode == ProbeMode.Quick) await SendTestMessageAsync(variant, inTransaction: true, ct);
                    break;
                }
                if (_progress.Stopped) break;
            }
            var first = results.FirstOrDefault(r => r.Accepted);
            if (settings.Mode == ProbeMode.Full && first is not null && !_progress.Stopped)
                await SendTestMessageAsync(variants.First(v => v.Name == first.Name), inTransaction: false, ct);
        }, cancel);

        foreach (var v in variants.Skip(results.Count))
            results.Add(new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, null, null, false, VariantOutcome.NotTried, 0));
        var tried = results.Count(r => r.Outcome != VariantOutcome.NotTried);
        if (tried < variants.Count && results.All(r => !r.Accepted))
            transcript.Info($"{tried} of {variants.Count} relay-test variants tried: the dialogue stopped before the rest ({_progress.StopDetail ?? "no reason recorded"})");

        return BuildResult(startedAt);
    }

    /// <summary>
    /// A further test message (the first canary did not arrive): tries only the named variant, rebuilt with this
    /// dialogue's new token, and sends DATA when its recipient is accepted. The other variants are not tried again.
    /// </summary>
    public async Task<ProbeResult> RunOneVariantAsync(string variantName, DateTimeOffset startedAt, TimeSpan totalTimeout, CancellationToken cancel)
    {
        await GuardedAsync("test message", totalTimeout, async ct =>
        {
            await _sessions.OpenAsync(ct);
            var variant = Select(BuildVariants(), [variantName])[0];
            transcript.Info($"further test message through variant {variant.Name} ({variant.Class}), recipient at {settings.CanaryDomain}");
            var r = await TryVariantAsync(variant, ct);
            _progress.Results.Add(r);
            if (r.Accepted) await SendTestMessageAsync(variant, inTransaction: true, ct);
        }, cancel);
        return BuildResult(startedAt);
    }

    private IReadOnlyList<RelayVariant> BuildVariants() => RelayVariants.Build(new VariantContext(
        settings.CanaryLocalPart, settings.CanaryDomain, settings.SenderLocalPart, settings.SenderDomain,
        settings.EndPoint.Address, _sessions.HostName ?? settings.GivenName, settings.ReturnPath));

    /// <summary>
    /// The named variants in the engine's order. The list depends on the target (its host name gives the
    /// own-domain senders), so a name is checked here, after the banner and EHLO, and an unknown one ends the
    /// probe with the names this target has: a typo or a stale stored name must not silently test nothing.
    /// </summary>
    /// <remarks>
    /// A name with a parameter (<c>sender-own-domain-postmaster:example.org</c>) that this target no longer has
    /// stands for the same trick with today's parameter: a retest stores the name the relay accepted, and when the
    /// server's banner names another domain since, the question is still whether its own-domain sender relays.
    /// </remarks>
    private List<RelayVariant> Select(IReadOnlyList<RelayVariant> all, IReadOnlyList<string> names)
    {
        var wanted = new List<string>();
        var unknown = new List<string>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (all.Any(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                wanted.Add(name);
                continue;
            }
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            var family = colon > 0 ? all.Where(v => v.Name.StartsWith(name[..(colon + 1)], StringComparison.OrdinalIgnoreCase)).Select(v => v.Name).ToList() : [];
            if (family.Count == 0)
            {
                unknown.Add(name);
                continue;
            }
            transcript.Info($"variant {name} stands for {string.Join(", ", family)}: the same sender trick with the name this server gives today");
            wanted.AddRange(family);
        }
        if (unknown.Count > 0)
            throw new ProbeRequestException(
                $"{settings.Target} has no relay-test variant named {string.Join(", ", unknown)}; its variants are {string.Join(", ", all.Select(v => v.Name))}");
        return all.Where(v => wanted.Contains(v.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// Runs a dialogue under the total timeout and always ends the session. A stopped dialogue or a total timeout
    /// is not an error: <see cref="ProbeProgress.Stop"/> records why, and the verdict is judged from what was learnt so far.
    /// </summary>
    private async Task GuardedAsync(string what, TimeSpan totalTimeout, Func<CancellationToken, Task> body, CancellationToken cancel)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        total.CancelAfter(totalTimeout);
        try
        {
            await body(total.Token);
        }
        catch (ProbeStoppedException e)
        {
            _progress.StoppedBy(e.Stop, e.Detail);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // The total timeout: a slow server cannot hold a worker.
            var detail = $"the {what} exceeded its total time of {totalTimeout.TotalSeconds:0} s";
            _progress.StoppedBy(ProbeStop.ProtocolError, detail);
            transcript.Error(detail);
        }
        finally
        {
            await _sessions.CloseAsync();
        }
    }

    /// <summary>
    /// One variant: RSET when a transaction came before (RFC 5321 §4.1.1.5), MAIL FROM, RCPT TO. A dropped
    /// connection is retried once in a new session; a reply timeout is not (a tarpit must not cost it twice).
    /// </summary>
    private async Task<VariantResult> TryVariantAsync(RelayVariant v, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            SmtpReply? mail = null;
            try
            {
                var s = await _sessions.CurrentAsync(ct);
                if (_sessions.BeginTransaction())
                {
                    var rset = await s.CommandAsync("RSET", ct);
                    if (rset.Code != 250)
                    {
                        await _sessions.DropAsync($"RSET refused ({rset}); reconnecting");
                        s = await _sessions.CurrentAsync(ct);
                        _sessions.BeginTransaction();
                    }
                }
                mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                if (ReplyClassifier.WantsTls(mail) && !s.IsTls && settings.Tls != TlsMode.None
                    && await _sessions.MeetTlsDemandAsync(s, mail, ct))
                    mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                _sessions.Remember(mail);
                if (!mail.IsPositive)
                    return Result(v, mail, null, ReplyClassifier.ClassifySender(mail));
                var rcpt = await s.CommandAsync($"RCPT TO:<{v.RcptTo}>", ct);
                _sessions.Remember(rcpt);
                return Result(v, mail, rcpt, ReplyClassifier.ClassifyRecipient(rcpt));
            }
            catch (SmtpConnectionLostException e)
            {
                // Some servers drop the session after a few syntax errors: reconnect and carry on.
                await _sessions.DropAsync($"connection lost during variant {v.Name}: {e.Message}; reconnecting");
                if (attempt >= 2)
                    return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail?.ToString(), null, false, VariantOutcome.ConnectionLost, _sessions.Count);
            }
            catch (SmtpReplyTimeoutException e)
            {
                // A tarpit: do not pay the timeout twice for the same variant.
                await _sessions.DropAsync($"variant {v.Name}: {e.Message}");
                return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail?.ToString(), null, false, VariantOutcome.ConnectionLost, _sessions.Count);
            }
            catch (SmtpProtocolViolationException e)
            {
                throw ProbeStoppedException.Log(transcript, ProbeStop.ProtocolError, e.Message);
            }
        }
    }

    private VariantResult Result(RelayVariant v, SmtpReply mail, SmtpReply? rcpt, string outcome)
    {
        var accepted = outcome == VariantOutcome.Accepted;
        transcript.Info($"variant {v.Name} ({v.Class}): {outcome}");
        return new VariantResult(v.Name, v.Class, v.MailFrom, v.RcptTo, mail.ToString(), rcpt?.ToString(), accepted, outcome, _sessions.Count);
    }

    /// <summary>One signed test message, through the first accepted variant. Never a second one.</summary>
    private async Task SendTestMessageAsync(RelayVariant v, bool inTransaction, CancellationToken ct)
    {
        _progress.DataVariant = v.Name;
        try
        {
            var s = await _sessions.CurrentAsync(ct);
            if (!inTransaction)
            {
                if (_sessions.BeginTransaction()) await s.CommandAsync("RSET", ct);
                var mail = await s.CommandAsync($"MAIL FROM:<{v.MailFrom}>", ct);
                if (!mail.IsPositive) { _progress.DataReply = $"MAIL refused on retry: {mail}"; return; }
                var rcpt = await s.CommandAsync($"RCPT TO:<{v.RcptTo}>", ct);
                if (rcpt.Code is not (250 or 251)) { _progress.DataReply = $"RCPT refused on retry: {rcpt}"; return; }
            }
            var data = await s.CommandAsync("DATA", ct);
            if (data.Code != 354)
            {
                _progress.DataReply = data.ToString();
                _sessions.Remember(data);
                return;
            }
            // The From: header names a sender a person can read: our plain sender, not the VERP return path (that is
            // for bounces only, and the receiving MTA shows it as Return-Path:); a variant's made-up sender as it is.
            var plainSender = $"{settings.SenderLocalPart}@{settings.SenderDomain}";
            var sender = v.MailFrom.Contains('@', StringComparison.Ordinal) && !v.MailFrom.StartsWith('@') && v.MailFrom != settings.ReturnPath ? v.MailFrom : plainSender;
            var message = TestMessage.Build(new TestMessage.Facts(
                settings.Token, settings.CanaryAddress, sender, settings.Target, v.Name, time.GetUtcNow(),
                settings.OperatorName, settings.OperatorContact, settings.InfoUrl));
            settings.Signer?.Sign(message);
            _progress.MessageId = message.MessageId;
            _progress.TestMessage = TestMessage.Serialize(message);
            var final = await s.SendDataAsync(_progress.TestMessage, ct);
            _progress.DataReply = final.ToString();
            _progress.DataAccepted = final.Code == 250;
            _sessions.Remember(final);
        }
        catch (Exception e) when (e is SmtpConnectionLostException or SmtpReplyTimeoutException or SmtpProtocolViolationException)
        {
            _progress.DataReply ??= $"no reply: {e.Message}";
            transcript.Error($"test message: {e.Message}");
            await _sessions.DiscardAsync();
        }
    }

    private ProbeResult BuildResult(DateTimeOffset startedAt)
    {
        var results = _progress.Results;
        var facts = new ProbeFacts(settings.Target, settings.CanaryDomain, results, _progress.Stop, _progress.StopDetail,
            _sessions.Tls?.Failure, _progress.DataAccepted, _progress.DataReply, _progress.DataVariant, settings.Mode);
        var (verdict, reason) = ProbeJudge.Judge(facts);
        var mta = MtaFingerprint.Identify(_sessions.Banner, _sessions.ServerTexts);
        transcript.Info($"verdict {verdict}: {reason}");
        return new ProbeResult
        {
            Target = settings.Target,
            Host = settings.GivenName ?? settings.EndPoint.Address.ToString(),
            Address = settings.EndPoint.Address.ToString(),
            Port = settings.EndPoint.Port,
            ProbeKey = settings.ProbeKey,
            Verdict = verdict,
            Reason = reason,
            Mode = settings.Mode,
            Mta = mta,
            Banner = _sessions.Banner,
            HostName = _sessions.HostName,
            Extensions = _sessions.Extensions,
            UsedHelo = _sessions.UsedHelo,
            Tls = _sessions.Tls,
            Variants = results,
            AcceptedVariants = facts.Accepted.Select(a => a.Name).ToList(),
            AcceptedClass = ProbeJudge.AcceptedClass(facts),
            DataVariant = _progress.DataVariant,
            DataReply = _progress.DataReply,
            Token = settings.Token,
            CanaryAddress = settings.CanaryAddress,
            MessageId = _progress.MessageId,
            TestMessage = _progress.TestMessage,
            Sessions = _sessions.Count,
            VariantsPlanned = results.Count,
            VariantsTried = facts.VariantsTried,
            Transcript = transcript.Lines.ToList(),
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
        };
    }
}
