using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// A bounce to a VERP return path of ours answers that message (<see cref="VerpAsync"/>); a bounce to one that does
/// not verify is forged and changes nothing. Otherwise the failed recipients are recorded for the threaded case:
/// a permanent failure marks the contact bounced, a temporary one (4.x.x, delayed) is kept and counts only when
/// it keeps coming (<see cref="ContactBounce.Counting"/>). When the case has contacts, an address that is not one
/// of them was never sent to by us and marks nothing.
/// </summary>
public sealed class BounceRecorder(NotifierDb db, MailThreading threading, NoticeBounces noticeBounces, ProbeTokenKey tokenKey, IOptions<ProbingOptions> probing)
{
    public async Task RecordAsync(MimeMessage message, InboundMessage row, BounceReader.Bounce bounce, DateTimeOffset now, CancellationToken ct)
    {
        row.Class = InboundClass.Bounce;
        row.Rule = bounce.Rule;
        if (VerpCandidates.Of(message).FirstOrDefault() is { } returnPath)
        {
            await VerpAsync(row, bounce, returnPath, now, ct);
            return;
        }
        var ids = new List<string>();
        if (bounce.OriginalMessageId is not null) ids.Add(bounce.OriginalMessageId);
        ids.AddRange(MailThreading.MessageIdsOf(message));
        var (c, how) = await threading.ThreadAsync(ids, bounce.OriginalSubject ?? message.Subject, null, ct);
        row.CaseId = c?.Id;
        var known = c is null ? [] : await db.CaseContacts.Where(x => x.CaseId == c.Id).Select(x => x.Address).ToListAsync(ct);
        var recorded = new List<string>();
        var ignored = new List<string>();
        foreach (var r in bounce.Recipients)
        {
            if (known.Count > 0 && !known.Contains(r.Address, StringComparer.OrdinalIgnoreCase))
            {
                ignored.Add(r.Address);
                continue;
            }
            var diagnostic = InboundRows.Cap(string.Join(" ", new[] { r.Status, r.Diagnostic is null ? null : $"({r.Diagnostic})" }.OfType<string>()), 1000);
            db.ContactBounces.Add(new ContactBounce { Address = r.Address, At = now, Diagnostic = diagnostic, CaseId = c?.Id, Temporary = !r.Permanent, Reason = r.Reason });
            recorded.Add($"{r.Address} {r.Status} {r.Reason}{(r.Permanent ? "" : $" (temporary, {r.Action}: counts after {ContactBounce.TemporaryFailureSpan.TotalDays:0} days of failures)")}");
        }
        var list = recorded.Count == 0 ? "no failed recipient" : string.Join(", ", recorded);
        row.Detail = $"bounce: {list}"
            + (ignored.Count > 0 ? $"; ignored {string.Join(", ", ignored)} (not a contact of the case: never sent to)" : "")
            + (c is null ? "; no case found" : $"; case {c.Reference} ({how})");
        if (c is not null) CaseWorkflow.MailReceived(c, CaseEventKind.Bounce, $"Bounce: {list}", false, now);
    }

    /// <summary>
    /// A bounce to <c>bounces+&lt;tag&gt;@…</c>: tied to the message the tag names, whatever recipient it names. A
    /// test message goes to our canary domain only, so its bounce says the relay took it and then gave it back (a
    /// fact for the case) and marks no contact; a recipient outside the canary domain was never sent to and is ignored.
    /// </summary>
    private async Task VerpAsync(InboundMessage row, BounceReader.Bounce bounce, string returnPath, DateTimeOffset now, CancellationToken ct)
    {
        var tag = VerpAddress.Verify(returnPath, VerpAddress.KeyFrom(tokenKey));
        if (tag is null)
        {
            row.Rule += $"; return path {returnPath} is not a VERP tag of ours (HMAC does not verify)";
            row.Detail = "forged bounce: nothing marked";
            return;
        }
        row.Rule += $"; VERP return path {returnPath} verified";
        if (tag.Kind == VerpAddress.Notice)
        {
            // A notice goes to one recipient: the report's first failed recipient is about it (Cases decides what it means).
            var r = bounce.Recipients.Count > 0 ? bounce.Recipients[0] : null;
            var diagnostic = r is null ? "no recipient named" : string.Join(" ", new[] { r.Status, r.Diagnostic }.OfType<string>());
            (row.CaseId, row.Detail) = await noticeBounces.BouncedAsync(tag.Id, r?.Permanent ?? true, diagnostic, r?.Reason ?? "other", now, ct);
            return;
        }
        var m = tag.Kind switch
        {
            VerpAddress.TestMessage => await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleOrDefaultAsync(x => x.Id == tag.Id, ct),
            VerpAddress.Probe => await ProbeTestMessageAsync(tag.Id, ct),
            _ => null,
        };
        if (m is null)
        {
            row.Detail = $"bounce to a verified return path naming {tag.Kind}{tag.Id}, which is no message of ours on record: nothing marked";
            return;
        }
        var c = m.Probe!.Case!;
        row.CaseId = c.Id;
        row.ProbeId = m.ProbeId;
        var domain = "@" + probing.Value.CanaryDomain;
        var ours = bounce.Recipients.Where(r => r.Address.Contains(domain, StringComparison.OrdinalIgnoreCase)).ToList();
        var others = bounce.Recipients.Except(ours).Select(r => r.Address).ToList();
        var what = ours.Count == 0 ? "no recipient named" : string.Join(", ", ours.Select(r => $"{r.Address} {r.Status} {r.Action}"));
        row.Detail = $"bounce of test message {m.Sequence} ({m.Variant}): {what}"
            + (others.Count > 0 ? $"; ignored {string.Join(", ", others)} (never sent to)" : "") + "; no contact marked";
        CaseWorkflow.MailReceived(c, CaseEventKind.Bounce, $"Test message {m.Sequence} through variant {m.Variant} came back as a bounce ({what})", false, now);
    }

    /// <summary>
    /// The test message a probe sent inside its dialogue, for a <see cref="VerpAddress.Probe"/> tag: the tag names the
    /// first attempt of the envelope, and a greylisting retry of it (same case, same key) may be the one that sent it.
    /// </summary>
    private Task<ProbeTestMessage?> ProbeTestMessageAsync(long probeId, CancellationToken ct) =>
        db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case)
            .Where(x => db.Probes.Any(p => p.Id == probeId && p.CaseId == x.Probe!.CaseId && p.Key == x.Probe.Key))
            .OrderBy(x => x.Id)
            .FirstOrDefaultAsync(ct);
}
