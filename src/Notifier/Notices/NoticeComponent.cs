using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Notifier.Notices;

/// <summary>
/// What every component in templates/ inherits (templates/_Imports.razor): the notice's model and the format
/// being written, both from the <see cref="NoticeScope"/> the renderer injects, and the small helpers the
/// templates share (time formats, the language). Templates see the model record only, never a service.
/// </summary>
public abstract class NoticeComponent : ComponentBase
{
    /// <summary>The notice being rendered (given by <see cref="NoticeTreeWriter"/>, or injected when a page renders a part; see <see cref="NoticeScope"/> for why not cascaded).</summary>
    [Inject]
    public NoticeScope Scope { get; set; } = default!;

    public NoticeModel Model => Scope.Model;

    /// <summary>
    /// For <see cref="NoticeTreeWriter"/>: the frames of this component, its parameters set. The synchronous lifecycle
    /// methods run as the Blazor renderer would run them before the first render; a notice has no asynchronous ones.
    /// </summary>
    internal void Render(RenderTreeBuilder builder)
    {
        OnInitialized();
        OnParametersSet();
        BuildRenderTree(builder);
    }

    public NoticeFormat Format => Scope.Format;

    protected bool IsHtml => Format == NoticeFormat.Html;

    protected bool IsText => Format == NoticeFormat.Text;

    protected bool IsSubject => Format == NoticeFormat.Subject;

    protected bool IsGerman => Scope.IsGerman;

    /// <summary>For the short strings of a template: both languages side by side in the template itself.</summary>
    protected string L(string english, string german) => IsGerman ? german : english;

    /// <summary>ISO 8601 in UTC, to the second (<c>2026-12-01T13:05:00Z</c>): what scripts parse and people can read.</summary>
    protected static string Iso(DateTimeOffset time) => NoticeTime.Iso(time);

    /// <summary>A time for the prose, always with its zone so no reader guesses (<c>2026-12-01 13:05 UTC</c>).</summary>
    protected static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A date for the prose (<c>2026-12-01</c>).</summary>
    protected static string Day(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A relay for a sentence or subject: <c>192.0.2.10 port 25 (mail.example.net)</c>.</summary>
    protected string Where(NoticeRelay relay) =>
        L($"{relay.Address} port {relay.Port}", $"{relay.Address} Port {relay.Port}")
        + (string.IsNullOrEmpty(relay.HostName) ? "" : $" ({relay.HostName})");

    /// <summary>All relays this notice is about, those only in the CSV attachment included.</summary>
    protected int RelayTotal => Model.Relays.Count + Model.RelaysOnlyInAttachment;

    /// <summary>What the notice is about, for subjects: <c>open mail relay at 192.0.2.10 port 25</c> or <c>3 open mail relays in your network</c>.</summary>
    protected string RelaysInWords => RelayTotal > 1
        ? L($"{RelayTotal} open mail relays in your network", $"{RelayTotal} offene Mail-Relays in Ihrem Netz")
        : L($"open mail relay at {Where(Model.Relays[0])}", $"offenes Mail-Relay auf {Where(Model.Relays[0])}");

    /// <summary>The same without "open", for subjects that say the state themselves (still open, resolved).</summary>
    protected string MailRelaysInWords => RelayTotal > 1
        ? L($"{RelayTotal} mail relays in your network", $"{RelayTotal} Mail-Relays in Ihrem Netz")
        : L($"mail relay at {Where(Model.Relays[0])}", $"Mail-Relay auf {Where(Model.Relays[0])}");

    /// <summary>Dates for a sentence: <c>2026-11-20, 2026-11-25 and 2026-11-28</c> (German: <c>und</c>).</summary>
    protected string Dates(IEnumerable<DateTimeOffset> times)
    {
        var days = times.Select(Day).Distinct().ToList();
        return days.Count <= 1
            ? string.Concat(days)
            : string.Join(", ", days[..^1]) + L(" and ", " und ") + days[^1];
    }

    /// <summary>The accepted variant in the notice's language (one place: <see cref="RelayVariantWords"/>).</summary>
    protected string VariantWords(string variant) => RelayVariantWords.Describe(variant, Model.Language);
}
