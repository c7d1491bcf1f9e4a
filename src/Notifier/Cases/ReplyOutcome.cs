namespace Notifier.Cases;

/// <summary>
/// What acting on a reply did, in words for the timeline, and whether its request was held for an operator (it
/// would hurt if the reply were forged and its sender is not proven).
/// </summary>
public sealed record ReplyOutcome(IReadOnlyList<string> Did, bool Held);
