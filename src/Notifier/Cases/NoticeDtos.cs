namespace Notifier.Cases;

/// <summary>A notice as the API shows it.</summary>
public sealed record NoticeDto(
    long Id, int CaseId, string CaseReference, string Kind, string State, string Recipient, long? CaseContactId, string? Language,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, int Attempts, string? LastError, string? Transport, string? DeliveryDetail,
    string? MessageId, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset? SentAt, long? ReplacesNoticeId,
    string? EditedText = null, string? EditReason = null, string? EditedBy = null, DateTimeOffset? EditedAt = null)
{
    public static NoticeDto From(Notice n) => new(
        n.Id, n.CaseId, Cases.CaseReference.Format(n.CaseId), n.Kind, n.State, n.Recipient, n.CaseContactId, n.Language,
        n.CreatedAt, n.NextAttemptAt, n.Attempts, n.LastError, n.Transport, n.DeliveryDetail,
        n.MessageId, n.ApprovedBy, n.ApprovedAt, n.SentAt, n.ReplacesNoticeId, n.EditedText, n.EditReason, n.EditedBy, n.EditedAt);
}

/// <summary>A rendered notice that was not sent: what the recipient would read.</summary>
/// <param name="Notes">For the operator, not the recipient: where the case does not (yet) have the facts this kind reports.</param>
public sealed record NoticePreviewDto(string Kind, string Language, string Recipient, string Subject, string Text, string Html, IReadOnlyList<string> Attachments,
    IReadOnlyList<string> Notes);

/// <summary>Ask for a notice now (an operator's decision: approved by them).</summary>
/// <param name="AllowUnconfirmed">Notify an Unconfirmed (accepts-but-drops) case anyway (a first notice).</param>
/// <param name="Kind"><c>FirstNotice</c> (null: this) or <c>Reminder</c> (a notified case); the retests plan the other kinds.</param>
public sealed record PlanNoticeRequest(bool AllowUnconfirmed = false, string? Kind = null);

public sealed record ApproveNoticesRequest(IReadOnlyList<long>? Ids);

public sealed record ApproveNoticesResult(IReadOnlyList<NoticeDto> Approved, IReadOnlyList<NoticeActionError> Refused);

public sealed record NoticeActionError(long Id, string Reason);

public sealed record CancelNoticeRequest(string? Reason);

/// <summary>An operator's own plain text for a notice not sent yet, and why (both required).</summary>
public sealed record EditNoticeTextRequest(string? Text, string? Reason);
