using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// A message with a canary token: when the token is one of ours (HMAC, probe, target, age, first arrival) the
/// probe is confirmed through the host that handed it over, and Cases records it; otherwise it is a forged or
/// replayed canary and changes nothing.
/// </summary>
public sealed class CanaryRecorder(
    NotifierDb db,
    ProbeTokenKey tokenKey,
    TrustedReceivers trusted,
    TargetPolicy targets,
    IOptions<InboxOptions> inbox)
{
    /// <summary>The test message that arrived (to be linked to the stored row at the commit), or null for a forged one.</summary>
    public async Task<ProbeTestMessage?> RecordAsync(MimeMessage message, InboundMessage row, string token, DateTimeOffset now, CancellationToken ct)
    {
        row.Token = token;
        var problem = await CheckTokenAsync(token, now, ct);
        if (problem is not null)
        {
            row.Class = InboundClass.ForgedCanary;
            row.Rule = "canary token did not verify";
            row.Detail = $"forged or replayed canary, nothing changed: {problem}";
            return null;
        }
        var m = await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleAsync(x => x.Token == token, ct);
        var probe = m.Probe!;
        var c = probe.Case!;
        var hop = CanaryReader.FindHandOver(message, trusted, targets);
        var (verdict, why) = CanaryReader.Judge(hop, IPAddress.Parse(c.Address), m.TargetHostName);
        row.Class = InboundClass.Canary;
        row.Rule = "canary token verified (HMAC, probe, target, age, first arrival)";
        row.ProbeId = probe.Id;
        row.CaseId = c.Id;
        m.Status = TestMessageStatus.Arrived;
        m.ArrivedAt = now;
        var variant = $"test message {m.Sequence} through variant {m.Variant} ({m.VariantClass})";
        if (probe.Verdict is ProbeVerdict.Confirmed or ProbeVerdict.Multihop)
        {
            row.Detail = $"{verdict}: {why}; {variant}. The probe was already {probe.Verdict} by an earlier test message";
            CaseWorkflow.MailReceived(c, CaseEventKind.TestMessage, $"Canary of {variant} arrived too: {verdict}", false, now);
            return m;
        }
        row.Detail = $"{verdict}: {why}; {variant}";
        CaseWorkflow.Confirm(c, probe, verdict, $"{why}; {variant} relays", now);
        return m;
    }

    /// <summary>
    /// Whether the canary came back before its probe's outcome (and so its test message row) was saved: on loopback
    /// or a fast network the message can reach the mailbox in the time the probe job takes to record the dialogue.
    /// Its probe is then still queued or running; once the probe is recorded the canary is read as usual, and a token
    /// whose probe is over with no such test message stays forged (<see cref="CheckTokenAsync"/>).
    /// </summary>
    public async Task<bool> OutranItsProbeAsync(string token, CancellationToken ct)
    {
        if (!ProbeToken.TryParse(token, out var probeKey, out _)) return false;
        if (await db.ProbeTestMessages.AnyAsync(x => x.Token == token, ct)) return false;
        return await db.Probes.AnyAsync(p => p.Key == probeKey && (p.Status == ProbeStatus.Queued || p.Status == ProbeStatus.Running), ct);
    }

    /// <summary>Why the token is not one of ours to accept now, or null when it is.</summary>
    private async Task<string?> CheckTokenAsync(string token, DateTimeOffset now, CancellationToken ct)
    {
        if (!ProbeToken.TryParse(token, out var probeKey, out var issuedAt)) return "the token is not well formed";
        var m = await db.ProbeTestMessages.AsNoTracking().Include(x => x.Probe).SingleOrDefaultAsync(x => x.Token == token, ct);
        if (m is null) return $"no test message of ours carries this token (probe key {probeKey})";
        if (m.Probe!.Key != probeKey) return "the token's probe key does not match its probe";
        if (!ProbeToken.Verify(tokenKey.Bytes, token, m.Target)) return $"the HMAC does not verify for target {m.Target}";
        if (issuedAt > now + TimeSpan.FromMinutes(5)) return $"the token was issued in the future ({issuedAt.UtcDateTime:u})";
        if (now - issuedAt > inbox.Value.CanaryMaxAge) return $"the token is older than Inbox:CanaryMaxAge ({issuedAt.UtcDateTime:u})";
        if (m.Status == TestMessageStatus.Arrived) return $"replayed: this token's canary already arrived at {m.ArrivedAt?.UtcDateTime:u}";
        return null;
    }
}
