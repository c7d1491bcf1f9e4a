using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Jobs;
using Notifier.Probing;
using Notifier.Tests.Inbox;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// A real Postfix behind a greylisting policy service (the lab's greylist instance: 450 to a client/sender/recipient
/// triple until it was first seen NOTIFIER_LAB_GREYLIST_DELAY seconds ago): only a retry with the same envelope gets through.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class GreylistRetryTests(Notifier.Tests.Lab.Lab lab)
{
    private static async Task<Case> CaseAsync(InboxHarness h, int caseId)
    {
        await using var scope = h.Scope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Cases.AsNoTracking()
            .Include(c => c.Probes).ThenInclude(p => p.TestMessages).Include(c => c.Events).SingleAsync(c => c.Id == caseId);
    }

    private static async Task RunProbeAsync(InboxHarness h, int probeId)
    {
        await using var scope = h.Scope();
        await scope.ServiceProvider.GetRequiredService<ProbeRun>().RunAsync(probeId, CancellationToken.None);
    }

    /// <summary>The dispatcher as the service runs it, at <paramref name="time"/>.</summary>
    private static async Task DispatchAsync(InboxHarness h, TimeProvider time)
    {
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();
        await using var scope = h.Scope();
        var sp = scope.ServiceProvider;
        await new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), time,
            sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Retry_IsAcceptedAndConfirmed_WhenItReusesTheTempRefusedProbesEnvelopeAfterTheGreylistDelay()
    {
        await using var h = await InboxHarness.CreateAsync(lab);
        var greylistDelay = TimeSpan.FromSeconds(int.Parse(lab["NOTIFIER_LAB_GREYLIST_DELAY"], CultureInfo.InvariantCulture));
        var (caseId, firstId) = await h.OpenCaseAsync(lab.EndPoint("GREYLIST"));

        await RunProbeAsync(h, firstId);
        var deferred = await CaseAsync(h, caseId);
        var first = deferred.Probes.Single();
        Assert.Equal(ProbeVerdict.TempRefused, first.Verdict);
        Assert.Contains("Greylisted", first.Reason, StringComparison.Ordinal);
        Assert.Equal((CaseState.Deferred, CaseAction.RetryProbe), (deferred.State, deferred.NextAction));
        // The server named no wait: Cases:GreylistRetryDelay (5 minutes by default).
        Assert.Equal(new CasesOptions().GreylistRetryDelay, deferred.NextActionAt - deferred.UpdatedAt);

        // The dispatcher's clock is at the due time; the greylister's real clock only needs its few seconds.
        await DispatchAsync(h, new FakeTimeProvider(deferred.NextActionAt!.Value));
        var queued = await CaseAsync(h, caseId);
        var retry = queued.Probes.Single(p => p.Id != firstId);
        Assert.Equal((firstId, 1, first.Key, first.Token), (retry.RetryOfProbeId, retry.EnvelopeRetry, retry.Key, retry.Token));

        await Task.Delay(greylistDelay + TimeSpan.FromSeconds(1));
        await RunProbeAsync(h, retry.Id);
        var suspected = await CaseAsync(h, caseId);
        retry = suspected.Probes.Single(p => p.Id == retry.Id);
        Assert.Equal(ProbeVerdict.DataAccepted, retry.Verdict);
        Assert.Equal(CaseState.Suspected, suspected.State);
        Assert.Equal(first.Token, retry.Token);
        var firstVariant = ProbeResultJson.Deserialize(first.ResultJson!)!.Variants[0];
        var retriedVariant = ProbeResultJson.Deserialize(retry.ResultJson!)!.Variants[0];
        Assert.Equal((firstVariant.MailFrom, firstVariant.RcptTo), (retriedVariant.MailFrom, retriedVariant.RcptTo));
        Assert.StartsWith($"bounces+p{firstId}-", retriedVariant.MailFrom, StringComparison.Ordinal);
        Assert.True(retriedVariant.Accepted);

        // The canary arrives through the sink in Dovecot and proves the relay.
        var sent = Assert.Single(retry.TestMessages);
        var canary = await h.PollUntilAsync(db => db.InboundMessages.FirstOrDefaultAsync(m => m.Token == sent.Token), TimeSpan.FromSeconds(45));
        Assert.Equal(InboundClass.Canary, canary?.Class);
        var confirmed = await CaseAsync(h, caseId);
        Assert.Equal(CaseState.Confirmed, confirmed.State);
        Assert.Equal(ProbeVerdict.Confirmed, confirmed.Probes.Single(p => p.Id == retry.Id).Verdict);
    }
}
