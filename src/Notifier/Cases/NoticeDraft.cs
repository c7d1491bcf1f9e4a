using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// What a notice is made of, read from the database: the model the templates take, and the evidence that is attached
/// whole (the full transcript, the test message as it arrived) rather than excerpted in the body.
/// </summary>
/// <param name="Evidence">Per relay the body lists (<see cref="NoticeModel.Relays"/>, same order): its whole transcript and test message.</param>
/// <param name="FurtherRelays">Relays beyond <c>Notices:MaxRelaysPerNotice</c> (batching): only in the CSV and the JSON evidence.</param>
public sealed record NoticeDraft(NoticeModel Model, IReadOnlyList<NoticeRelayEvidence> Evidence, IReadOnlyList<NoticeRelay> FurtherRelays)
{
    /// <summary>Every relay the notice reports, listed or not: the JSON evidence names them all.</summary>
    public IReadOnlyList<NoticeRelay> AllRelays => [.. Model.Relays, .. FurtherRelays];

    /// <summary>The whole transcript of the retest the notice reports (<see cref="NoticeModel.LatestRetest"/>); empty without one.</summary>
    public IReadOnlyList<TranscriptLine> RetestTranscript { get; init; } = [];
}

/// <summary>One relay's evidence that is attached whole.</summary>
/// <param name="Transcript">The proving probe's whole transcript.</param>
/// <param name="TestMessageAsArrived">The canary message exactly as our inbox received it; null when the relay was not confirmed by one.</param>
public sealed record NoticeRelayEvidence(NoticeRelay Relay, IReadOnlyList<TranscriptLine> Transcript, byte[]? TestMessageAsArrived)
{
    /// <summary>The proving probe's variants (what each envelope got), so a page can mark the relaying lines (<see cref="AcceptedVariantLines"/>).</summary>
    public IReadOnlyList<VariantResult> Variants { get; init; } = [];
}
