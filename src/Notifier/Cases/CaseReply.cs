namespace Notifier.Cases;

/// <summary>A reply threaded to a case, as the case work needs it: the stored message's id, its Message-ID, its sender and how far that sender is proven.</summary>
public sealed record CaseReply(long Id, string? MessageId, string? Sender, SenderTrust Trust);
