using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// Builds a <see cref="NoticeDraft"/> for a case and a contact from the database: the case, the latest proving probe's
/// result (variant, transcript, MTA, banner), the test message as it arrived when a canary confirmed it, the contact's
/// provenance and the language; with batching, the same for every further case the notice covers. Follow-ups add what
/// happened since: the retest they report (and its transcript, attached), the next planned retest, the earlier notices
/// (sent or carried), a reopened relay's earlier resolution, and for an escalation the upstream network named by the
/// recipient's RDAP provenance and who was told before. Used for sending and for previews (which make no owner link).
/// </summary>
public sealed class NoticeModelFactory(NotifierDb db, IOptions<NoticesOptions> notices, IOptions<NoticePolicyOptions> policy)
{
    /// <summary>Transcript lines before and after the accepted RCPT that the body shows; the whole transcript is attached.</summary>
    private const int ExcerptBefore = 8;
    private const int ExcerptAfter = 4;

    /// <param name="ownerPage">The owner link for this case and contact, if one was made.</param>
    /// <param name="language">A language to force (preview); null: the contact's.</param>
    /// <param name="coveredCaseIds">
    /// Batching: further cases whose relays this notice reports too, after the case's own. The body lists up to
    /// <c>Notices:MaxRelaysPerNotice</c> relays; the rest go in the CSV attachment.
    /// </param>
    public async Task<NoticeDraft> BuildAsync(int caseId, string recipient, NoticeKind kind, string? language,
        (string Url, DateTimeOffset ExpiresAt)? ownerPage, DateTimeOffset now, CancellationToken ct, IReadOnlyList<int>? coveredCaseIds = null)
    {
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId, ct);
        var contact = await db.CaseContacts.AsNoTracking().FirstOrDefaultAsync(x => x.CaseId == caseId && x.Address == recipient, ct);
        var evidence = new List<NoticeRelayEvidence> { await RelayAsync(c, ct) };
        foreach (var covered in coveredCaseIds ?? [])
            evidence.Add(await RelayAsync(await db.Cases.AsNoTracking().SingleAsync(x => x.Id == covered, ct), ct));
        var cap = policy.Value.MaxRelaysPerNotice;
        var listed = evidence.Take(cap).ToList();
        var further = evidence.Skip(cap).Select(e => e.Relay).ToList();
        // Told before: sent on its own or inside another notice's message (batching), to this recipient.
        var told = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == caseId && (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && n.SentAt != null)
            .OrderBy(n => n.SentAt).Select(n => new { n.Recipient, SentAt = n.SentAt!.Value }).ToListAsync(ct);
        var retest = await ReportedRetestAsync(c, kind, listed[0], ct);
        var options = notices.Value;
        var model = new NoticeModel
        {
            Kind = kind,
            Language = language is null ? await LanguageAsync(caseId, recipient, ct) : NoticeLanguage.Normalize(language),
            Desk = options.Desk(),
            Recipient = new NoticeRecipient
            {
                Address = recipient,
                Source = contact?.Source ?? "manual",
                Provenance = contact is null ? [] : Provenance(contact.EvidenceJson).Select(e => $"{e.Query}: {e.Answer}").ToList(),
            },
            CaseReference = c.Reference,
            Relays = listed.Select(e => e.Relay).ToList(),
            RelaysOnlyInAttachment = further.Count,
            WrittenAt = now,
            OwnerPageUrl = ownerPage?.Url,
            OwnerPageExpiresAt = ownerPage?.ExpiresAt,
            OptOutAddress = options.OptOutAddress,
            EarlierNoticesAt = told.Where(t => t.Recipient == recipient).Select(t => t.SentAt).ToList(),
            LatestRetest = retest?.Retest,
            NextRetestAt = kind != NoticeKind.FirstNotice && c.NextAction == CaseAction.Retest ? c.NextActionAt : null,
            PreviouslyResolvedAt = kind is not (NoticeKind.FirstNotice or NoticeKind.Resolved) && c.ReopenCount > 0 ? c.ResolvedAt : null,
            Escalation = kind != NoticeKind.Escalation ? null : new NoticeEscalation
            {
                Network = contact is null ? null : NoticeUpstreamNetwork.Describe(recipient, Provenance(contact.EvidenceJson)),
                EarlierRecipients = told.Where(t => t.Recipient != recipient).Select(t => t.Recipient).Distinct().ToList(),
                FirstNotifiedAt = c.FirstNoticeAt ?? (told.Count > 0 ? told[0].SentAt : null),
                NoticesSent = told.Count(t => t.Recipient != recipient),
            },
        };
        return new NoticeDraft(model, listed, further) { RetestTranscript = retest?.Transcript ?? [] };
    }

    /// <summary>
    /// The retest a follow-up reports, from the retest probes that came to a conclusion (inconclusive ones, only 4xx or
    /// no session, say nothing either way). StillOpen, Escalation and a Reminder show the latest that found the relay
    /// open ("still open as of"); Resolved shows the one that found it closed, but only while that is the latest
    /// finding: once a later retest found it open again, no thank-you may claim it is closed. A first notice reports none.
    /// </summary>
    private async Task<(NoticeRetest Retest, IReadOnlyList<TranscriptLine> Transcript)?> ReportedRetestAsync(Case c, NoticeKind kind, NoticeRelayEvidence proven, CancellationToken ct)
    {
        if (kind == NoticeKind.FirstNotice) return null;
        var conclusive = db.Probes.AsNoTracking().Where(p => p.CaseId == c.Id && p.Kind == ProbeKind.Retest && p.ResultJson != null
            && (p.RetestOutcome == RetestOutcome.Open || p.RetestOutcome == RetestOutcome.Closed));
        Probe? probe;
        if (kind == NoticeKind.Resolved)
        {
            probe = await conclusive.OrderByDescending(p => p.FinishedAt).ThenByDescending(p => p.Id).FirstOrDefaultAsync(ct);
            if (probe?.RetestOutcome != RetestOutcome.Closed) return null;
        }
        else
        {
            probe = await conclusive.Where(p => p.RetestOutcome == RetestOutcome.Open)
                .OrderByDescending(p => p.FinishedAt).ThenByDescending(p => p.Id).FirstOrDefaultAsync(ct);
            if (probe is null) return null;
        }
        var result = ProbeResultJson.Deserialize(probe.ResultJson!);
        var transcript = result?.Transcript ?? [];
        // The answer to the variant that relayed before (the retest goes through it); else the first accepted (open)
        // or the first answered (closed) variant.
        var variants = result?.Variants ?? [];
        var open = probe.RetestOutcome == RetestOutcome.Open;
        var variant = variants.FirstOrDefault(v => v.Name == proven.Relay.Variant && v.Accepted == open)
            ?? variants.FirstOrDefault(v => v.Accepted == open && (v.RcptReply ?? v.MailReply) is not null)
            ?? variants.FirstOrDefault(v => (v.RcptReply ?? v.MailReply) is not null);
        var retest = new NoticeRetest
        {
            At = result?.StartedAt ?? probe.StartedAt ?? probe.FinishedAt ?? probe.QueuedAt,
            Verdict = probe.RetestOutcome!,
            Answer = variant?.RcptReply ?? variant?.MailReply,
            TranscriptExcerpt = Excerpt(transcript, variant?.RcptTo),
        };
        return (retest, transcript);
    }

    /// <summary>One case's relay as its proving probe saw it, with the evidence attached whole.</summary>
    private async Task<NoticeRelayEvidence> RelayAsync(Case c, CancellationToken ct)
    {
        var (probe, result, arrived) = await ProvingProbeAsync(c.Id, ct);
        byte[]? raw = null;
        if (arrived?.InboundMessageId is { } inboundId)
            raw = await db.InboundMessages.AsNoTracking().Where(m => m.Id == inboundId).Select(m => m.Raw).SingleOrDefaultAsync(ct);

        var variantName = arrived?.Variant ?? result?.DataVariant ?? (result?.AcceptedVariants is [var firstAccepted, ..] ? firstAccepted : null) ?? probe?.AcceptedVariants?.Split(',')[0] ?? "unknown";
        var variant = result?.Variants.FirstOrDefault(v => v.Name == variantName && v.Accepted) ?? result?.Variants.FirstOrDefault(v => v.Accepted);
        var transcript = result?.Transcript ?? [];
        var relay = new NoticeRelay
        {
            CaseReference = c.Reference,
            Address = c.Address,
            Port = c.Port,
            HostName = arrived?.TargetHostName ?? result?.HostName,
            ObservedAt = result?.StartedAt ?? probe?.StartedAt ?? c.CreatedAt,
            ConfirmedAt = arrived?.ArrivedAt,
            Verdict = probe?.Verdict ?? c.State,
            Variant = variantName,
            AcceptedSender = variant?.MailFrom ?? "",
            AcceptedRecipient = variant?.RcptTo ?? result?.CanaryAddress ?? "",
            Mta = result?.Mta ?? probe?.Mta ?? MtaFingerprint.Unknown,
            Banner = result?.Banner,
            TranscriptExcerpt = Excerpt(transcript, variant?.RcptTo),
        };
        return new NoticeRelayEvidence(relay, transcript, raw) { Variants = result?.Variants ?? [] };
    }

    /// <summary>
    /// The probe that proved the relay: the one whose test message arrived (latest), else the latest that queued one
    /// (an Unconfirmed case an operator notifies anyway), else the latest finished probe; never a retest, which sends
    /// no test message and proves nothing new (a follow-up reports it beside this proof).
    /// </summary>
    private async Task<(Probe? Probe, ProbeResult? Result, ProbeTestMessage? Arrived)> ProvingProbeAsync(int caseId, CancellationToken ct)
    {
        var arrived = await db.ProbeTestMessages.AsNoTracking().Include(m => m.Probe)
            .Where(m => m.Probe!.CaseId == caseId && m.Status == TestMessageStatus.Arrived)
            .OrderByDescending(m => m.ArrivedAt).FirstOrDefaultAsync(ct);
        var probe = arrived?.Probe ?? await db.Probes.AsNoTracking()
            .Where(p => p.CaseId == caseId && p.ResultJson != null && p.Kind == ProbeKind.Initial)
            .OrderByDescending(p => p.TestMessages.Any()).ThenByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        var result = probe?.ResultJson is null ? null : ProbeResultJson.Deserialize(probe.ResultJson);
        return (probe, result, arrived);
    }

    /// <summary>
    /// The contact's language: an operator's manual rule for the address (case rules first), else the RDAP country
    /// recorded with the case's contact (German for DE/AT/CH/LI), else English.
    /// </summary>
    public async Task<string> LanguageAsync(int caseId, string recipient, CancellationToken ct)
    {
        var manual = await db.ManualContactRules.AsNoTracking()
            .Where(r => r.Address == recipient && r.Language != null && (r.Scope != "case" || r.CaseId == caseId))
            .OrderBy(r => r.Scope == "case" ? 0 : 1).ThenByDescending(r => r.Id)
            .Select(r => r.Language).FirstOrDefaultAsync(ct);
        if (manual is not null) return NoticeLanguage.Normalize(manual);
        var country = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == caseId && x.Address == recipient)
            .Select(x => x.Country).FirstOrDefaultAsync(ct);
        return NoticeLanguage.ForCountry(country);
    }

    private static List<ContactEvidence> Provenance(string evidenceJson)
    {
        try
        {
            return CaseContactJson.Deserialize<List<ContactEvidence>>(evidenceJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    /// <summary>The lines around the accepted RCPT (the moment the relay said yes); the first lines when it is not found.</summary>
    private static List<string> Excerpt(IReadOnlyList<TranscriptLine> transcript, string? rcptTo)
    {
        if (transcript.Count == 0) return [];
        var at = rcptTo is null ? -1 : transcript.ToList().FindIndex(l => l.Dir is TranscriptLine.Sent or TranscriptLine.SentTls
            && l.Line.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase) && l.Line.Contains(rcptTo, StringComparison.OrdinalIgnoreCase));
        var from = at < 0 ? 0 : Math.Max(0, at - ExcerptBefore);
        var count = at < 0 ? ExcerptBefore + ExcerptAfter : at - from + 1 + ExcerptAfter;
        return transcript.Skip(from).Take(count).Select(l => l.ToString()).ToList();
    }
}
