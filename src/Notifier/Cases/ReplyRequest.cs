namespace Notifier.Cases;

/// <summary>
/// What a reply asks of its case: the part of its intent that acts. The inbox's intents that only inform (wrong
/// contact, false positive, abusive, other) ask for nothing: a person reads every reply (it needs attention).
/// </summary>
public enum ReplyRequest
{
    None,

    /// <summary>"It is fixed": probe again now.</summary>
    Retest,

    /// <summary>"Stop mailing me": the sender is suppressed, for every case.</summary>
    StopMailingSender,
}
