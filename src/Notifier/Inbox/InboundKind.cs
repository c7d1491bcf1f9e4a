using MimeKit;

namespace Notifier.Inbox;

/// <summary>
/// What a fetched message is, read from the message alone (no database, no clock), in the order the kinds are
/// tried: cut at <c>Inbox:MaxMessageBytes</c>, a canary (it carries a token; whether the token is ours is checked
/// against the test messages when it is recorded), then <see cref="MailClassifier"/>'s complaint, bounce and
/// auto-reply rules, else a person's mail with the intent its words show and the domains our receivers vouch for.
/// A person's mail becomes a reply when it threads to a case, else it is unknown.
/// </summary>
public abstract record InboundKind
{
    private InboundKind()
    {
    }

    /// <summary>Cut at the limit: the missing part may hold the delivery-status fields or the token, so it is not read as if whole.</summary>
    public sealed record TooLarge(int Limit) : InboundKind;

    public sealed record Canary(string Token) : InboundKind;

    public sealed record Complaint(string Rule, FeedbackReport Report) : InboundKind;

    public sealed record Bounce(BounceReader.Bounce Report) : InboundKind;

    public sealed record AutoReply(string Rule) : InboundKind;

    public sealed record PersonalMail(string Intent, string? Evidence, IReadOnlyList<SenderAuthentication.Pass> Authenticated) : InboundKind;

    /// <param name="message">The parsed message.</param>
    /// <param name="length">Its length in bytes as fetched (InboxPollJob stops reading at the limit).</param>
    /// <param name="options">The limit and the trusted receivers.</param>
    public static InboundKind Of(MimeMessage message, int length, InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        if (length >= options.MaxMessageBytes) return new TooLarge(options.MaxMessageBytes);
        if (CanaryReader.FindToken(message) is { } token) return new Canary(token);
        var classified = MailClassifier.Classify(message);
        if (classified is { Complaint: { } complaint }) return new Complaint(classified.Rule, complaint);
        if (classified is { Bounce: { } bounce }) return new Bounce(bounce);
        if (classified is { Class: InboundClass.AutoReply }) return new AutoReply(classified.Rule);
        var (intent, evidence) = ReplyIntent.Classify(message.Subject, MessageText.Of(message));
        return new PersonalMail(intent, evidence, SenderAuthentication.Read(message, options.TrustedReceivers));
    }
}
