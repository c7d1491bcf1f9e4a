namespace Notifier.Notices;

/// <summary>A file attached to a notice (the transcript, the test message as it arrived, the evidence JSON, a CSV of further relays).</summary>
public sealed record NoticeAttachment(string FileName, string MediaType, byte[] Content);
