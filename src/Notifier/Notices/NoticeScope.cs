namespace Notifier.Notices;

/// <summary>
/// The notice being rendered and the format being written, for every component of the template. NoticeRenderer's
/// <see cref="NoticeTreeWriter"/> sets it around each part and gives it to each component it makes; a page that
/// renders a template part with the application's renderer (the owner page's <see cref="NoticeRoot"/>) gets one per
/// request by injection (AddNotices), set by the root from its parameters.
/// <para>
/// Why not a cascading value: a cascading parameter is looked up per component by walking up the tree to its
/// supplier, and a notice is about 250 components (most of them one sentence in one language).
/// </para>
/// <para>
/// A writer renders one part at a time, so a part never sees another's model. Cleared after each part, so nothing
/// keeps a model alive between notices.
/// </para>
/// </summary>
public sealed class NoticeScope
{
    private NoticeModel? _model;

    /// <summary>The model of the notice being rendered.</summary>
    public NoticeModel Model => _model ?? throw new InvalidOperationException("No notice is being rendered");

    /// <summary>The part being written.</summary>
    public NoticeFormat Format { get; private set; }

    /// <summary>The notice's language is German (worked out once per part, not once per sentence).</summary>
    public bool IsGerman { get; private set; }

    internal void Begin(NoticeModel model, NoticeFormat format)
    {
        _model = model;
        Format = format;
        IsGerman = NoticeLanguage.Normalize(model.Language) == NoticeLanguage.German;
    }

    internal void End() => _model = null;
}
