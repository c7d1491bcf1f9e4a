using Notifier.Cases;

namespace Notifier.Inbox;

/// <summary>A person's mail threaded to its case, waiting for the stored row's id to be acted on (an opt-out's suppression links to it).</summary>
public sealed record ThreadedReply(Case Case, InboundKind.PersonalMail Mail);
