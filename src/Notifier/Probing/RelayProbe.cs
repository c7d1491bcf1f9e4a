using System.Net;
using Microsoft.Extensions.Options;

namespace Notifier.Probing;

/// <summary>The probe engine: checks the target is allowed, waits its turn, runs the dialogue.</summary>
public sealed partial class RelayProbe(
    IOptions<ProbingOptions> options,
    TargetResolver resolver,
    ProbeThrottle throttle,
    ProbeTokenKey tokenKey,
    TimeProvider time,
    DkimKey? dkim = null) : IRelayProbe
{
    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is < 1 or > 65535) throw new ProbeRequestException($"port {request.Port} is not between 1 and 65535");
        CheckVariantSelection(request.Variants);
        var resolved = await resolver.ResolveAsync(request.Host, cancellationToken);
        var (prepared, transcript, total, turn) = await PrepareAsync(
            resolved, request.Port, request.AllowPrivateTargets, request.ProbeKey ?? ProbeToken.NewProbeKey(), request.Mode, request.Tls,
            request.CanaryDomain, request.HeloName, request.SenderDomain, request.ReturnPath, request.Timeout, request.Token, request.LineWritten, cancellationToken);
        var settings = prepared with { Variants = request.Variants };
        await using (turn)
        {
            if (request.TurnTaken is not null) await request.TurnTaken(cancellationToken);
            return await new ProbeDialogue(settings, transcript, time).RunAsync(time.GetUtcNow(), total, cancellationToken);
        }
    }

    public async Task<ProbeResult> SendTestMessageAsync(TestMessageRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is < 1 or > 65535) throw new ProbeRequestException($"port {request.Port} is not between 1 and 65535");
        var address = IpAddressText.Parse(request.Address) ?? throw new ProbeRequestException($"\"{request.Address}\" is not an IP address");
        var resolved = new TargetResolver.Resolved(address, request.HostName, []);
        var (settings, transcript, total, turn) = await PrepareAsync(
            resolved, request.Port, request.AllowPrivateTargets, request.ProbeKey, ProbeMode.Quick, request.Tls,
            request.CanaryDomain, request.HeloName, request.SenderDomain, request.ReturnPath, request.Timeout, request.Token, null, cancellationToken);
        await using (turn)
        {
            return await new ProbeDialogue(settings, transcript, time).RunOneVariantAsync(request.Variant, time.GetUtcNow(), total, cancellationToken);
        }
    }

    /// <summary>The target a token is made for and verified against (<c>address:port</c>, IPv6 in brackets).</summary>
    public static string TokenTarget(IPAddress address, int port) => new IPEndPoint(address, port).ToString();

    /// <summary>
    /// A selection that can never match is refused before any traffic; whether each name exists is known only once
    /// the server has named itself (the own-domain variants come from its host name), so the dialogue checks that.
    /// </summary>
    private static void CheckVariantSelection(IReadOnlyList<string>? variants)
    {
        if (variants is null) return;
        if (variants.Count == 0) throw new ProbeRequestException("no relay-test variant selected: name at least one, or none to try them all");
        if (variants.FirstOrDefault(v => string.IsNullOrWhiteSpace(v) || v.Any(char.IsWhiteSpace)) is { } bad)
            throw new ProbeRequestException($"\"{bad}\" is not a relay-test variant name");
    }

    /// <summary>
    /// A return path goes into <c>MAIL FROM:&lt;…&gt;</c> as it is, so it must be one plain address (no brackets, spaces
    /// or line breaks to smuggle a command in) in our sender domain: a bounce to any other domain never reaches us.
    /// </summary>
    private static void CheckReturnPath(string? returnPath, string senderDomain)
    {
        if (returnPath is null) return;
        var at = returnPath.LastIndexOf('@');
        if (at < 1 || !ReturnPathShape().IsMatch(returnPath))
            throw new ProbeRequestException($"return path \"{returnPath}\" is not a plain address (letters, digits and .+_=- before one @)");
        if (!returnPath[(at + 1)..].Equals(senderDomain, StringComparison.OrdinalIgnoreCase))
            throw new ProbeRequestException($"return path {returnPath} is not in the sender domain {senderDomain}");
    }

    /// <summary>
    /// A token given by the caller goes into the recipient, a header and the body as it is, and the inbox will look
    /// its probe up by it: it must be ours, for this probe key and this target.
    /// </summary>
    private string CheckToken(string token, string probeKey, string target)
    {
        if (!ProbeToken.TryParse(token, out var key, out _) || key != probeKey || !ProbeToken.Verify(tokenKey.Bytes, token, target))
            throw new ProbeRequestException($"token {token} was not made with this key for probe {probeKey} and target {target}");
        return token.ToLowerInvariant();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9._+=-]{1,64}@[A-Za-z0-9.-]{1,253}$")]
    private static partial System.Text.RegularExpressions.Regex ReturnPathShape();

    private async Task<(ProbeSettings, Transcript, TimeSpan, IAsyncDisposable)> PrepareAsync(
        TargetResolver.Resolved resolved, int port, bool? allowPrivateTargets, string probeKey, ProbeMode mode, TlsMode tls,
        string? canaryDomainOverride, string? heloName, string? senderDomain, string? returnPath, TimeSpan? timeout, string? givenToken,
        Action<TranscriptLine>? lineWritten, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var allowPrivate = allowPrivateTargets ?? o.AllowPrivateTargets;
        var restriction = TargetGuard.RestrictionOf(resolved.Address);
        if (restriction is not null && !allowPrivate)
            throw new ProbeRequestException($"{resolved.Address} is {restriction}; probing it needs --allow-private (Probing:AllowPrivateTargets) and is meant for labs");

        var endPoint = new IPEndPoint(resolved.Address, port);
        var canaryDomain = canaryDomainOverride ?? o.CanaryDomain;
        var sender = senderDomain ?? o.SenderDomain ?? canaryDomain;
        CheckReturnPath(returnPath, sender);
        var target = TokenTarget(resolved.Address, port);
        var token = givenToken is null ? ProbeToken.Create(tokenKey.Bytes, probeKey, target, time.GetUtcNow()) : CheckToken(givenToken, probeKey, target);
        var limits = new SessionLimits(timeout ?? o.ConnectTimeout, timeout ?? o.ReplyTimeout, o.MaxReplyBytes, o.MaxReplyLines);
        var settings = new ProbeSettings(
            endPoint,
            resolved.Name,
            mode,
            port == 465 && tls == TlsMode.StartTlsWhenOffered ? TlsMode.Implicit : tls,
            heloName ?? o.HeloName,
            canaryDomain,
            $"{o.CanaryLocalPart}+{token}",
            o.SenderLocalPart,
            sender,
            probeKey,
            token,
            limits,
            o.MaxErrorsPerSession,
            o.MaxReconnects,
            o.OperatorName,
            o.OperatorContact,
            o.InfoUrl,
            dkim?.Signer,
            returnPath);

        var turn = await throttle.EnterAsync(endPoint, cancellationToken);
        var transcript = new Transcript(time, lineWritten);
        foreach (var note in resolved.Notes) transcript.Info(note);
        if (restriction is not null) transcript.Info($"{resolved.Address} is {restriction}; probed because private targets are allowed (lab)");
        var total = timeout is { } t ? TimeSpan.FromTicks(Math.Max(o.TotalTimeout.Ticks, t.Ticks * 8)) : o.TotalTimeout;
        return (settings, transcript, total, turn);
    }
}
