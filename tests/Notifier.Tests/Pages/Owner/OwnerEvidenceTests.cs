using System.Net;
using System.Text.RegularExpressions;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>The evidence part of <c>/r/&lt;token&gt;</c>: what the owner needs to see, check and fix the relay, in their language.</summary>
public sealed class OwnerEvidenceTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private async Task<(OwnerSeed Seed, string Address)> ProvenAsync(string? country = null, Action<Case>? shape = null, params (DateTimeOffset, string)[] retests)
    {
        var address = CaseSeed.Address();
        var seed = await OwnerSeed.CreateAsync(factory, country: country, shape: shape, address: address);
        await OwnerEvidenceSeed.AddProofAsync(factory, seed, address, retests: retests);
        return (seed, address);
    }

    [Fact]
    public async Task Get_ShowsTheRelayAndWhatWeObserved_WhenTheCaseIsProven()
    {
        var (seed, address) = await ProvenAsync();
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{address}:25", html);
        Assert.Contains("mx.owner.example", html);
        Assert.Contains("Postfix", html);
        Assert.Contains("2026-11-20T09:15:00Z", html);
        Assert.Contains("Open relay, proven", html);
        // The variant in words (Notices/RelayVariantWords), the same as the notice says.
        Assert.Contains("accepted mail for an outside domain from any sender", html);
        Assert.Contains("arrived in our own mailbox through this server at 2026-11-20T09:15:42Z", html);
        Assert.Contains("Open: when we tested it", html);
    }

    [Fact]
    public async Task Get_MarksTheRelayingLinesOfTheTranscript_WhenAVariantWasAccepted()
    {
        var (seed, _) = await ProvenAsync();
        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url());

        var transcript = Regex.Match(html, "<pre class=\"transcript owner-transcript\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(transcript.Success, "no transcript shown");
        var marked = Regex.Matches(transcript.Groups[1].Value, "<mark class=\"relaying\">(.*?)</mark>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Contains(marked, l => l.EndsWith(OwnerEvidenceSeed.RelayingRcpt, StringComparison.Ordinal));
        Assert.Contains(marked, l => l.EndsWith("DATA", StringComparison.Ordinal));
        Assert.DoesNotContain(marked, l => l.EndsWith(OwnerEvidenceSeed.RefusedRcpt, StringComparison.Ordinal));
        // The refused variant's lines are shown, just not marked.
        Assert.Contains(OwnerEvidenceSeed.RefusedRcpt, WebUtility.HtmlDecode(transcript.Groups[1].Value));
    }

    [Fact]
    public async Task Get_ShowsHowToCheckAndHowToFix_AsTheNoticeTemplatesSayIt()
    {
        var (seed, address) = await ProvenAsync();
        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url());

        // templates/Parts/HowToVerify.razor with this relay's address, and HowToClose.razor for the recognised Postfix.
        Assert.Contains("How to check it yourself", html);
        Assert.Contains($"telnet {address} 25", html);
        Assert.Contains("How to close it", html);
        Assert.Contains("smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination", html);
        Assert.Contains("abuse-desk@notifier.invalid", html);
        Assert.Contains("NR-", html);
    }

    [Fact]
    public async Task Get_ListsTheRetestsAndSaysFixed_WhenARetestFoundItClosed()
    {
        var open = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var closed = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        var (seed, _) = await ProvenAsync(shape: c =>
        {
            c.State = CaseState.Resolved;
            c.ResolvedAt = closed;
        }, retests: [(open, RetestOutcome.Open), (closed, RetestOutcome.Closed)]);
        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url());

        Assert.Contains("Fixed: a retest on 2026-11-25T08:00:00Z found that the server no longer relays", html);
        var closedAt = html.IndexOf("2026-11-25T08:00:00Z: closed", StringComparison.Ordinal);
        var openAt = html.IndexOf("2026-11-22T08:00:00Z: still open", StringComparison.Ordinal);
        Assert.True(closedAt > 0 && openAt > closedAt, "the retests are not listed newest first with their verdicts");
    }

    [Fact]
    public async Task Get_SaysClosed_WhenTheDeskClosedTheCase()
    {
        var (seed, _) = await ProvenAsync(shape: c => CaseWorkflow.Close(c, "test", CloseReason.Other, null, DateTimeOffset.UtcNow));
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Closed: the abuse desk closed this case", html);
    }

    [Fact]
    public async Task Get_ShowsTheEvidenceInGerman_WhenTheContactIsInGermany()
    {
        var (seed, address) = await ProvenAsync(country: "DE");
        var html = WebUtility.HtmlDecode(await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url()));

        Assert.Contains("Offen: Bei unserem Test", html);
        Assert.Contains("Der Server hat E-Mail für eine fremde Domain von einem beliebigen Absender angenommen", html);
        Assert.Contains("So können Sie es selbst prüfen", html);
        Assert.Contains("So schließen Sie es", html);
        Assert.Contains("Das Gespräch mit Ihrem Server", html);
        Assert.Contains($"telnet {address} 25", html);
        Assert.DoesNotContain("What we observed", html);
        Assert.DoesNotContain("How to check it yourself", html);
    }
}
