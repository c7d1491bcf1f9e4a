using MimeKit;

namespace Notifier.Inbox;

/// <summary>
/// The rules that need no database, in the order they must be tried: a feedback report (it quotes our message and
/// may carry Auto-Submitted), then a bounce (many bounces carry <c>Auto-Submitted: auto-replied</c> or
/// <c>Precedence: junk</c>, so the auto-reply rules come after), then the auto-reply rules. Canaries (token check) and
/// human replies (threading) are the processor's, around this.
/// </summary>
public static class MailClassifier
{
    public sealed record Classification(string Class, string Rule, BounceReader.Bounce? Bounce = null, FeedbackReport? Complaint = null);

    public static Classification? Classify(MimeMessage message)
    {
        if (FeedbackReport.Read(message) is { } complaint)
            return new Classification(InboundClass.Complaint, $"feedback report (RFC 5965 ARF), Feedback-Type: {complaint.FeedbackType}", Complaint: complaint);
        if (BounceReader.Read(message) is { } bounce)
            return new Classification(InboundClass.Bounce, bounce.Rule, Bounce: bounce);
        if (AutoReplyRules.Match(message) is { } rule)
            return new Classification(InboundClass.AutoReply, rule);
        return null;
    }
}
