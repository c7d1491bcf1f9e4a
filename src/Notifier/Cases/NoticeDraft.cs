using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// What a notice is made of, read from the database: the model the templates take, and the evidence that is attached
/// whole (the full transcript, the test message as it arrived) rather than excerpted in the body.
/// </summary>
/// <param name="Transcript">The proving probe's whole transcript.</param>
/// <param name="TestMessageAsArrived">The canary message exactly as our inbox received it; null when the relay was not confirmed by one.</param>
public sealed record NoticeDraft(NoticeModel Model, IReadOnlyList<TranscriptLine> Transcript, byte[]? TestMessageAsArrived);
