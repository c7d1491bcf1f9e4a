using Notifier.Cases;

namespace Notifier.Inbox;

/// <summary>
/// A feedback report goes on the case timeline when it concerns mail of ours (the returned copy's Message-ID or
/// the case tag in its subject); one about anything else is kept for an operator. It marks no contact: the
/// complainant's mailbox works.
/// </summary>
public sealed class ComplaintRecorder(MailThreading threading)
{
    public async Task RecordAsync(InboundMessage row, string rule, FeedbackReport report, DateTimeOffset now, CancellationToken ct)
    {
        row.Class = InboundClass.Complaint;
        row.Rule = rule;
        var ids = report.OriginalMessageId is null ? new List<string>() : [report.OriginalMessageId];
        var (c, how) = await threading.ThreadAsync(ids, report.OriginalSubject, null, ct);
        row.CaseId = c?.Id;
        var who = report.OriginalRecipient is null ? "a recipient" : report.OriginalRecipient;
        row.Detail = c is null
            ? $"{report.FeedbackType} report about mail that is not ours (no Message-ID or case tag of ours); kept for an operator"
            : $"{report.FeedbackType} report by {who} about our mail for {c.Reference} ({how})";
        if (c is not null)
            CaseWorkflow.MailReceived(c, CaseEventKind.Complaint, $"Complaint ({report.FeedbackType}) from {row.FromAddress} about our mail to {who}" + (report.UserAgent is null ? "" : $", reported by {report.UserAgent}"), true, now);
    }
}
