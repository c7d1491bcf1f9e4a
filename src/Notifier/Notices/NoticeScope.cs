namespace Notifier.Notices;

/// <summary>
/// The notice being rendered and the format being written, for every component of the template:
/// <see cref="NoticeRoot"/> sets it from its parameters and clears it when it is disposed, and each component of
/// templates/ receives it by injection (<see cref="NoticeComponent"/>, <see cref="NoticeMarkup"/>).
/// <para>
/// Why not a cascading value: a cascading parameter is looked up per component by walking up the tree to its
/// supplier, and a notice is about 250 components (most of them one sentence in one language); the lookups were
/// about a quarter of the rendering time. Injection is one service-provider call per component, answered by
/// <see cref="NoticeHtmlRenderer"/> without touching the application's services (a page that renders a template
/// part with the application's renderer, the owner page, gets one per request from AddNotices).
/// </para>
/// <para>
/// One scope per renderer, and a renderer renders one part at a time on its dispatcher, so a part never sees
/// another's model. Cleared after each part, so the renderer keeps no model alive between notices.
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
