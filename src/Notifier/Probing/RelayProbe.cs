using System.Net;
using Microsoft.Extensions.Options;

namespace Notifier.Probing;

/// <summary>The probe engine: checks the target is allowed, waits its turn, runs the dialogue.</summary>
public sealed class RelayProbe(
    IOptions<ProbingOptions> options,
    TargetResolver resolver,
    ProbeThrottle throttle,
    ProbeTokenKey tokenKey,
    TimeProvider time) : IRelayProbe
{
    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (request.Port is < 1 or > 65535) throw new ProbeRequestException($"port {request.Port} is not between 1 and 65535");
        var resolved = await resolver.ResolveAsync(request.Host, cancellationToken);
        var allowPrivate = request.AllowPrivateTargets ?? o.AllowPrivateTargets;
        var restriction = TargetGuard.RestrictionOf(resolved.Address);
        if (restriction is not null && !allowPrivate)
            throw new ProbeRequestException($"{resolved.Address} is {restriction}; probing it needs --allow-private (Probing:AllowPrivateTargets) and is meant for labs");

        var endPoint = new IPEndPoint(resolved.Address, request.Port);
        var canaryDomain = request.CanaryDomain ?? o.CanaryDomain;
        var probeKey = request.ProbeKey ?? ProbeToken.NewProbeKey();
        var startedAt = time.GetUtcNow();
        var token = ProbeToken.Create(tokenKey.Bytes, probeKey, endPoint.ToString(), startedAt);
        var timeout = request.Timeout;
        var limits = new SessionLimits(timeout ?? o.ConnectTimeout, timeout ?? o.ReplyTimeout, o.MaxReplyBytes, o.MaxReplyLines);
        var settings = new ProbeDialogue.Settings(
            endPoint,
            resolved.Name,
            request.Mode,
            request.Port == 465 && request.Tls == TlsMode.StartTlsWhenOffered ? TlsMode.Implicit : request.Tls,
            request.HeloName ?? o.HeloName,
            canaryDomain,
            $"{o.CanaryLocalPart}+{token}",
            o.SenderLocalPart,
            request.SenderDomain ?? o.SenderDomain ?? canaryDomain,
            probeKey,
            token,
            limits,
            o.MaxErrorsPerSession,
            o.MaxReconnects,
            o.OperatorName,
            o.OperatorContact,
            o.InfoUrl);

        await using var turn = await throttle.EnterAsync(endPoint, cancellationToken);
        var transcript = new Transcript(time);
        foreach (var note in resolved.Notes) transcript.Info(note);
        if (restriction is not null) transcript.Info($"{resolved.Address} is {restriction}; probed because private targets are allowed (lab)");
        var total = timeout is { } t ? TimeSpan.FromTicks(Math.Max(o.TotalTimeout.Ticks, t.Ticks * 8)) : o.TotalTimeout;
        return await new ProbeDialogue(settings, transcript, time).RunAsync(startedAt, total, cancellationToken);
    }
}
