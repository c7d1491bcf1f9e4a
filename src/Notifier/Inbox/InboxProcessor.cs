using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// Classifies one fetched message and acts on it, in one transaction with the stored <see cref="InboundMessage"/>:
/// canary → bounce → auto-reply → reply → unknown. A message already stored (same folder, UIDVALIDITY and UID, or
/// same Message-ID and bytes) is returned as it is, so a message fetched again after a crash is never acted on twice.
/// </summary>
public sealed class InboxProcessor(
    NotifierDb db,
    CaseContacts contacts,
    NoticeBounces noticeBounces,
    ProbeTokenKey tokenKey,
    TrustedReceivers trusted,
    IOptions<InboxOptions> inbox,
    IOptions<ProbingOptions> probing,
    TimeProvider time,
    ILogger<InboxProcessor> log)
{
    /// <summary>Tests only: runs after classification, before the commit (a crash between fetch and commit).</summary>
    internal Func<InboundMessage, Task>? BeforeCommit { get; set; }

    /// <summary>The suppression an opt-out reply of this message added: linked to the stored message at the commit.</summary>
    private Suppression? _optOut;

    public async Task<(InboundMessage Message, bool AlreadyProcessed)> ProcessAsync(byte[] raw, string folder, long uidValidity, long uid, CancellationToken ct)
    {
        _optOut = null;
        var sha = Convert.ToHexStringLower(SHA256.HashData(raw));
        var existing = await db.InboundMessages.AsNoTracking()
            .FirstOrDefaultAsync(m => m.Folder == folder && m.UidValidity == uidValidity && m.Uid == uid, ct);
        if (existing is not null) return (existing, true);

        var now = time.GetUtcNow();
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = await MimeMessage.LoadAsync(stream, ct);
        }
        catch (FormatException e)
        {
            var bad = new InboundMessage
            {
                Folder = folder,
                UidValidity = uidValidity,
                Uid = uid,
                Sha256 = sha,
                FetchedAt = now,
                ProcessedAt = now,
                Headers = "",
                Raw = raw,
                Class = InboundClass.Unknown,
                Rule = "not a parseable message",
                Detail = e.Message,
            };
            db.InboundMessages.Add(bad);
            await CommitAsync(bad, ct);
            return (bad, false);
        }

        var messageId = string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId;
        if (messageId is not null)
        {
            // The same message again under a new UID (UIDVALIDITY changed, or it was copied back): already handled.
            var same = await db.InboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.MessageId == messageId && m.Sha256 == sha, ct);
            if (same is not null) return (same, true);
        }

        var row = new InboundMessage
        {
            Folder = folder,
            UidValidity = uidValidity,
            Uid = uid,
            MessageId = messageId,
            Sha256 = sha,
            FetchedAt = now,
            ProcessedAt = now,
            Date = message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            FromAddress = ContactAddress.Normalize(message.From.Mailboxes.FirstOrDefault()?.Address),
            From = Cap(message.From.ToString(), 1000),
            To = Cap(message.To.ToString(), 2000),
            Subject = Cap(message.Subject, 1000),
            InReplyTo = message.InReplyTo,
            References = message.References.Count == 0 ? null : Cap(string.Join(' ', message.References), 8000),
            Headers = HeaderBlock(message),
            Raw = raw,
            Class = InboundClass.Unknown,
        };
        db.InboundMessages.Add(row);

        ProbeTestMessage? arrived = null;
        // InboxPollJob stops reading at MaxMessageBytes: a message that long was cut, and its missing part may hold
        // the delivery-status fields or the canary token. It is kept as evidence and not read as if it were whole.
        var cut = raw.Length >= inbox.Value.MaxMessageBytes;
        var token = cut ? null : CanaryReader.FindToken(message);
        var classified = token is null && !cut ? MailClassifier.Classify(message) : null;
        if (cut)
        {
            row.Class = InboundClass.TooLarge;
            row.Rule = $"cut at Inbox:MaxMessageBytes ({inbox.Value.MaxMessageBytes} bytes)";
            row.Detail = "too large to read whole: stored truncated for an operator, nothing done";
        }
        else if (token is not null)
        {
            arrived = await CanaryAsync(message, row, token, now, ct);
        }
        else if (classified is { Complaint: { } complaint })
        {
            await ComplaintAsync(row, classified.Rule, complaint, now, ct);
        }
        else if (classified is { Bounce: { } bounce })
        {
            await BounceAsync(message, row, bounce, now, ct);
        }
        else if (classified is { Class: InboundClass.AutoReply })
        {
            row.Class = InboundClass.AutoReply;
            row.Rule = classified.Rule;
            var (c, how) = await ThreadAsync(message, ct);
            row.CaseId = c?.Id;
            row.Detail = c is null ? "automatic reply; no case found" : $"automatic reply to {c.Reference} ({how}); logged, not answered";
            if (c is not null) CaseWorkflow.MailReceived(c, CaseEventKind.AutoReply, $"Automatic reply from {row.FromAddress}: \"{row.Subject}\" ({classified.Rule})", false, now);
        }
        else
        {
            await ReplyAsync(message, row, now, ct);
        }

        await CommitAsync(row, ct, arrived);
        log.LogInformation("Inbox message {Uid} ({MessageId}) classified {Class}: {Detail}", uid, messageId, row.Class, row.Detail);
        return (row, false);
    }

    private async Task CommitAsync(InboundMessage row, CancellationToken ct, ProbeTestMessage? arrived = null)
    {
        if (BeforeCommit is not null) await BeforeCommit(row);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (arrived is not null)
        {
            arrived.InboundMessageId = row.Id;
            await db.SaveChangesAsync(ct);
        }
        if (_optOut is not null)
        {
            // The link lets an operator who changes this reply's intent take back exactly this suppression; the
            // re-rank makes it count at once for open cases (as a suppression added through the API does).
            _optOut.InboundMessageId = row.Id;
            await db.SaveChangesAsync(ct);
            var policy = _optOut.ToPolicy();
            await contacts.RerankOpenCasesAsync((_, addresses) => addresses.Any(policy.Matches), row.ProcessedAt, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task<ProbeTestMessage?> CanaryAsync(MimeMessage message, InboundMessage row, string token, DateTimeOffset now, CancellationToken ct)
    {
        row.Token = token;
        var problem = await CheckTokenAsync(token, now, ct);
        if (problem is not null)
        {
            row.Class = InboundClass.ForgedCanary;
            row.Rule = "canary token did not verify";
            row.Detail = $"forged or replayed canary, nothing changed: {problem.Value.Why}";
            return null;
        }
        var m = await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleAsync(x => x.Token == token, ct);
        var probe = m.Probe!;
        var c = probe.Case!;
        var hop = CanaryReader.FindHandOver(message, trusted, probing.Value.AllowPrivateTargets);
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

    /// <summary>Why the token is not one of ours to accept now, or null when it is.</summary>
    private async Task<(string Why, int? ProbeId)?> CheckTokenAsync(string token, DateTimeOffset now, CancellationToken ct)
    {
        if (!ProbeToken.TryParse(token, out var probeKey, out var issuedAt)) return ("the token is not well formed", null);
        var m = await db.ProbeTestMessages.AsNoTracking().Include(x => x.Probe).SingleOrDefaultAsync(x => x.Token == token, ct);
        if (m is null) return ($"no test message of ours carries this token (probe key {probeKey})", null);
        if (m.Probe!.Key != probeKey) return ("the token's probe key does not match its probe", m.ProbeId);
        if (!ProbeToken.Verify(tokenKey.Bytes, token, m.Target)) return ($"the HMAC does not verify for target {m.Target}", m.ProbeId);
        if (issuedAt > now + TimeSpan.FromMinutes(5)) return ($"the token was issued in the future ({issuedAt.UtcDateTime:u})", m.ProbeId);
        if (now - issuedAt > inbox.Value.CanaryMaxAge) return ($"the token is older than Inbox:CanaryMaxAge ({issuedAt.UtcDateTime:u})", m.ProbeId);
        if (m.Status == TestMessageStatus.Arrived) return ($"replayed: this token's canary already arrived at {m.ArrivedAt?.UtcDateTime:u}", m.ProbeId);
        return null;
    }

    /// <summary>
    /// A bounce to a VERP return path of ours answers that message (<see cref="VerpAsync"/>); a bounce to one that does
    /// not verify is forged and changes nothing. Otherwise the failed recipients are recorded for the threaded case:
    /// a permanent failure marks the contact bounced, a temporary one (4.x.x, delayed) is kept and counts only when
    /// it keeps coming (<see cref="ContactBounce.Counting"/>). When the case has contacts, an address that is not one
    /// of them was never sent to by us and marks nothing.
    /// </summary>
    private async Task BounceAsync(MimeMessage message, InboundMessage row, BounceReader.Bounce bounce, DateTimeOffset now, CancellationToken ct)
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
        ids.AddRange(MessageIdsOf(message));
        var (c, how) = await ThreadAsync(ids, bounce.OriginalSubject ?? message.Subject, null, ct);
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
            var diagnostic = Cap(string.Join(" ", new[] { r.Status, r.Diagnostic is null ? null : $"({r.Diagnostic})" }.OfType<string>()), 1000);
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
            var r = bounce.Recipients.FirstOrDefault();
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

    /// <summary>
    /// A feedback report goes on the case timeline when it concerns mail of ours (the returned copy's Message-ID or
    /// the case tag in its subject); one about anything else is kept for an operator. It marks no contact: the
    /// complainant's mailbox works.
    /// </summary>
    private async Task ComplaintAsync(InboundMessage row, string rule, FeedbackReport report, DateTimeOffset now, CancellationToken ct)
    {
        row.Class = InboundClass.Complaint;
        row.Rule = rule;
        var ids = report.OriginalMessageId is null ? new List<string>() : [report.OriginalMessageId];
        var (c, how) = await ThreadAsync(ids, report.OriginalSubject, null, ct);
        row.CaseId = c?.Id;
        var who = report.OriginalRecipient is null ? "a recipient" : report.OriginalRecipient;
        row.Detail = c is null
            ? $"{report.FeedbackType} report about mail that is not ours (no Message-ID or case tag of ours); kept for an operator"
            : $"{report.FeedbackType} report by {who} about our mail for {c.Reference} ({how})";
        if (c is not null)
            CaseWorkflow.MailReceived(c, CaseEventKind.Complaint, $"Complaint ({report.FeedbackType}) from {row.FromAddress} about our mail to {who}" + (report.UserAgent is null ? "" : $", reported by {report.UserAgent}"), true, now);
    }

    private async Task ReplyAsync(MimeMessage message, InboundMessage row, DateTimeOffset now, CancellationToken ct)
    {
        var (c, how) = await ThreadAsync(message, ct);
        if (c is null)
        {
            row.Class = InboundClass.Unknown;
            row.Rule = "no rule matched and no case found (Message-ID, subject tag, sender)";
            row.Detail = "kept for an operator";
            return;
        }
        var (intent, evidence) = ReplyIntent.Classify(message.Subject, MessageText.Of(message));
        row.Class = InboundClass.Reply;
        row.CaseId = c.Id;
        row.Intent = intent;
        row.Rule = $"threaded by {how}; intent {intent}" + (evidence is null ? " (no rule matched)" : $" (matched \"{Cap(evidence, 100)}\")");
        var actions = new List<string>();
        if (intent == ReplyIntent.Fixed && c.State != CaseState.Closed)
        {
            CaseWorkflow.RequestProbe(c, "inbox", now, $"{row.FromAddress} replied that it is fixed");
            actions.Add("retest requested");
        }
        if (intent == ReplyIntent.OptOut && row.FromAddress is { } sender)
        {
            var known = await db.Suppressions.AnyAsync(s => s.Value == sender, ct) || db.Suppressions.Local.Any(s => s.Value == sender);
            if (!known)
            {
                _optOut = new Suppression { Value = sender, Reason = Cap($"opt-out reply about {c.Reference} ({row.MessageId})", 500)!, AddedBy = "inbox", AddedAt = now };
                db.Suppressions.Add(_optOut);
                actions.Add($"{sender} suppressed");
            }
        }
        row.Detail = $"reply to {c.Reference}, intent {intent}" + (actions.Count == 0 ? "" : "; " + string.Join("; ", actions));
        CaseWorkflow.MailReceived(c, CaseEventKind.Reply, $"Reply from {row.FromAddress} ({intent}): \"{row.Subject}\"" + (actions.Count == 0 ? "" : $"; {string.Join("; ", actions)}"), true, now);
    }

    private Task<(Case? Case, string How)> ThreadAsync(MimeMessage message, CancellationToken ct) =>
        ThreadAsync(MessageIdsOf(message), message.Subject, ContactAddress.Normalize(message.From.Mailboxes.FirstOrDefault()?.Address), ct);

    /// <summary>
    /// The case a message belongs to: a Message-ID we sent (test messages; notices when they exist) in In-Reply-To or
    /// References, then the <c>[NR-000123]</c> subject tag, then the sender, when earlier replies from that address
    /// were threaded to an open case. (Contacts recorded on the case are not consulted here: that table is built
    /// separately; a sender is matched only against replies the inbox already threaded.)
    /// </summary>
    private async Task<(Case? Case, string How)> ThreadAsync(IReadOnlyList<string> ids, string? subject, string? sender, CancellationToken ct)
    {
        if (ids.Count > 0)
        {
            var caseId = await db.ProbeTestMessages.Where(m => m.MessageId != null && ids.Contains(m.MessageId))
                .Select(m => (int?)m.Probe!.CaseId).FirstOrDefaultAsync(ct);
            if (caseId is not null) return (await db.Cases.FindAsync([caseId.Value], ct), "Message-ID of our test message");
        }
        if (CaseReference.Find(subject) is { } id && await db.Cases.FindAsync([id], ct) is { } tagged)
            return (tagged, $"subject tag {tagged.Reference}");
        if (sender is not null)
        {
            var caseId = await db.InboundMessages.Where(m => m.FromAddress == sender && m.Class == InboundClass.Reply && m.CaseId != null)
                .OrderByDescending(m => m.Id).Select(m => m.CaseId).FirstOrDefaultAsync(ct);
            if (caseId is not null && await db.Cases.FindAsync([caseId.Value], ct) is { } bySender && bySender.State != CaseState.Closed)
                return (bySender, $"sender {sender}, who replied about {bySender.Reference} before");
        }
        return (null, "");
    }

    private static List<string> MessageIdsOf(MimeMessage message)
    {
        var ids = new List<string>();
        if (!string.IsNullOrEmpty(message.InReplyTo)) ids.Add(message.InReplyTo);
        ids.AddRange(message.References);
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string HeaderBlock(MimeMessage message)
    {
        var sb = new StringBuilder();
        foreach (var h in message.Headers) sb.Append(h.Field).Append(": ").Append(h.Value).Append('\n');
        return Cap(sb.ToString(), 64 * 1024)!;
    }

    private static string? Cap(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
