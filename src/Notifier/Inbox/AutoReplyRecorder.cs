using MimeKit;
using Notifier.Cases;

namespace Notifier.Inbox;

/// <summary>An automatic reply (RFC 3834 and its non-standard cousins) is logged on its case: never answered, no action.</summary>
public sealed class AutoReplyRecorder(MailThreading threading)
{
    public async Task RecordAsync(MimeMessage message, InboundMessage row, string rule, DateTimeOffset now, CancellationToken ct)
    {
        row.Class = InboundClass.AutoReply;
        row.Rule = rule;
        var (c, how) = await threading.ThreadAsync(message, ct);
        row.CaseId = c?.Id;
        row.Detail = c is null ? "automatic reply; no case found" : $"automatic reply to {c.Reference} ({how}); logged, not answered";
        if (c is not null) CaseWorkflow.MailReceived(c, CaseEventKind.AutoReply, $"Automatic reply from {row.FromAddress}: \"{row.Subject}\" ({rule})", false, now);
    }
}
