using System.Text.Encodings.Web;
using Notifier.Templates;

namespace Notifier.Notices;

/// <summary>
/// Renders a notice from its Razor template in templates/ (DESIGN.md "Notices"): the components' render trees are
/// written as HTML by <see cref="NoticeTreeWriter"/>, exactly as ASP.NET Core's static HTML renderer writes them, without
/// that renderer's per-component state (see there for why). One template is rendered three times: the subject, the
/// HTML part and the plain-text part (see <see cref="NoticeRendererText"/> for why the text part is made this way).
/// Thread-safe: a render takes a writer of its own (the one kept between renders, or a new one when another render
/// has it), and a writer keeps nothing of a notice once it is written, so a service that runs for months renders in
/// constant memory.
/// </summary>
public sealed class NoticeRenderer : IDisposable, IAsyncDisposable
{
    private readonly TextEncoder _htmlEncoder;
    private NoticeTreeWriter? _idle;

    /// <param name="services">For the HTML encoder, as the static renderer takes it: the application's, else the default.</param>
    public NoticeRenderer(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _htmlEncoder = services.GetService<HtmlEncoder>() ?? HtmlEncoder.Default;
    }

    public static Type TemplateFor(NoticeKind kind) => kind switch
    {
        NoticeKind.FirstNotice => typeof(FirstNotice),
        NoticeKind.Reminder => typeof(Reminder),
        NoticeKind.StillOpen => typeof(StillOpen),
        NoticeKind.Resolved => typeof(Resolved),
        NoticeKind.Escalation => typeof(Escalation),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No template for this notice kind"),
    };

    public Task<RenderedNotice> RenderAsync(NoticeModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Relays.Count == 0) throw new ArgumentException("A notice reports at least one relay", nameof(model));
        cancellationToken.ThrowIfCancellationRequested();
        var template = TemplateFor(model.Kind);
        var writer = Interlocked.Exchange(ref _idle, null) ?? new NoticeTreeWriter(_htmlEncoder);
        try
        {
            var subject = writer.Write(template, model, NoticeFormat.Subject);
            var html = writer.Write(template, model, NoticeFormat.Html);
            var text = writer.Write(template, model, NoticeFormat.Text);
            return Task.FromResult(new RenderedNotice(
                NoticeRendererText.Subject(model.CaseReference, subject),
                html,
                NoticeRendererText.Finish(text)));
        }
        finally
        {
            _idle = writer;
        }
    }

    public void Dispose() => _idle = null;

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
